//! Every name a pool uses, derived from its one name, so producers,
//! workers and reports agree without configuration.

/// The names of one pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// The JetStream stream of exchanges: `NAME`.
    pub stream: String,
    /// Its one subject: `specgate.NAME.exchanges`.
    pub subject: String,
    /// The durable pull consumer every worker shares:
    /// `specgate-NAME-validate`.
    pub consumer: String,
    /// The stream of results, keeping the last per exchange:
    /// `specgate-NAME-results`.
    pub results: String,
    /// Its subjects, one per exchange: `specgate.NAME.results.KEY`.
    pub results_prefix: String,
}

impl Names {
    /// The names for a pool whose name [`crate::address::check_name`]
    /// accepted.
    pub fn of(name: &str) -> Names {
        Names {
            stream: name.to_owned(),
            subject: format!("specgate.{name}.exchanges"),
            consumer: format!("specgate-{name}-validate"),
            results: format!("specgate-{name}-results"),
            results_prefix: format!("specgate.{name}.results."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_every_name() {
        let names = Names::of("orders-1");
        assert_eq!(names.stream, "orders-1");
        assert_eq!(names.subject, "specgate.orders-1.exchanges");
        assert_eq!(names.consumer, "specgate-orders-1-validate");
        assert_eq!(names.results, "specgate-orders-1-results");
        assert_eq!(names.results_prefix, "specgate.orders-1.results.");
    }
}
