//! Every name a pool uses, derived from its one name, so producers,
//! workers and reports agree without configuration.

use specgate_validator::stored::Job;

/// The names of one pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// The JetStream stream of exchanges: `NAME`.
    pub stream: String,
    /// Its one subject: `specgate.NAME.exchanges`.
    pub subject: String,
    /// The durable pull consumer every worker of the job shares:
    /// `specgate-NAME-validate`, `specgate-NAME-drift`.
    pub consumer: String,
    /// The stream of the job's results, keeping the last per exchange:
    /// `specgate-NAME-results` (validate), `specgate-NAME-results-drift`
    /// (never the name of another pool's stream).
    pub results: String,
    /// Its subjects, one per exchange: `specgate.NAME.results.KEY`,
    /// `specgate.NAME.results-drift.KEY`.
    pub results_prefix: String,
}

impl Names {
    /// The names for a pool whose name [`crate::address::check_name`]
    /// accepted, for `specgate validate`'s workers.
    pub fn of(name: &str) -> Names {
        Names::for_job(name, Job::Validate)
    }

    /// The names for one job's workers: validate and drift read the same
    /// stream, each with a consumer and results of its own, so both can
    /// run on the same exchanges.
    pub fn for_job(name: &str, job: Job) -> Names {
        let results = match job {
            Job::Validate => "results",
            Job::Drift => "results-drift",
        };
        Names {
            stream: name.to_owned(),
            subject: format!("specgate.{name}.exchanges"),
            consumer: format!("specgate-{name}-{}", job.command()),
            results: format!("specgate-{name}-{results}"),
            results_prefix: format!("specgate.{name}.{results}."),
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
        let drift = Names::for_job("orders-1", Job::Drift);
        assert_eq!(drift.stream, names.stream);
        assert_eq!(drift.subject, names.subject);
        assert_eq!(drift.consumer, "specgate-orders-1-drift");
        assert_eq!(drift.results, "specgate-orders-1-results-drift");
        assert_eq!(drift.results_prefix, "specgate.orders-1.results-drift.");
    }
}
