//! A request's parameters: each declared one sent as its schema says (or
//! missing when required), and query parameters the operation does not
//! declare reported as drift.

use specgate_spec::{Operation, Parameter, ParameterLocation, ParameterStyle};

use super::target::Target;
use super::{Findings, Validator};
use crate::exchange::{header, Request};
use crate::finding::{Finding, Kind, Place};
use crate::params;
use crate::schemas::{Part, SlotKey};

impl Validator<'_> {
    pub(super) fn check_parameters(
        &self,
        request: &Request,
        operation: &Operation,
        target: &Target,
        path_values: &[(String, String)],
        base: &Finding,
        findings: &mut Findings,
    ) {
        for parameter in &operation.parameters {
            let values = parameter_values(request, target, path_values, parameter);
            let place = Place::parameter(parameter.location, parameter.name.clone());
            if values.is_empty() {
                if parameter.required {
                    findings.push(Finding {
                        kind: Kind::Violation,
                        place: Some(place),
                        message: format!(
                            "the required {} parameter `{}` is missing",
                            parameter.location.as_str(),
                            parameter.name
                        ),
                        ..base.clone()
                    });
                }
                continue;
            }
            let Some(schema) = &parameter.schema else {
                continue;
            };
            let key = SlotKey {
                operation: operation.operation_id.clone(),
                part: Part::Parameter(parameter.location, parameter.name.clone()),
            };
            let value = params::typed(self.document, &schema.value, parameter, &values);
            let size = values.iter().map(|(_, v)| v.len()).sum();
            self.violations(&key, &value, size, &place, base, findings);
        }
        self.undocumented_query(operation, target, base, findings);
    }

    /// Query parameters the operation does not declare: drift, like an
    /// undocumented body member. API keys (declared by the security
    /// schemes) are documented; the values are never shown.
    fn undocumented_query(
        &self,
        operation: &Operation,
        target: &Target,
        base: &Finding,
        findings: &mut Findings,
    ) {
        let declared: Vec<&Parameter> = operation
            .parameters
            .iter()
            .filter(|p| p.location == ParameterLocation::Query)
            .collect();
        // An exploded `form` object parameter sends its members as
        // parameters of their own: `?color=red&size=L`.
        let mut members: Vec<&str> = Vec::new();
        for parameter in &declared {
            let Some(schema) = &parameter.schema else {
                continue;
            };
            if parameter.style != ParameterStyle::Form || !parameter.explode {
                continue;
            }
            match params::object_members(self.document, &schema.value) {
                params::Members::Named(names) => members.extend(names),
                params::Members::Any => return,
                params::Members::None => {}
            }
        }
        let mut reported: Vec<&str> = Vec::new();
        for (name, _) in &target.query {
            let documented =
                declared.iter().any(|p| sent_as(p, name)) || members.contains(&name.as_str());
            if documented
                || self.redactor.is_credential_query(name)
                || reported.contains(&name.as_str())
            {
                continue;
            }
            reported.push(name);
            findings.push(Finding {
                kind: Kind::Drift,
                error: self.strict,
                place: Some(Place::parameter(ParameterLocation::Query, name.clone())),
                message: format!(
                    "`{name}` is not a parameter of this operation (sent, yet undocumented)"
                ),
                ..base.clone()
            });
        }
    }
}

/// Whether a query pair of this name carries the parameter: its own name,
/// or `name[key]` for a `deepObject`.
fn sent_as(parameter: &Parameter, name: &str) -> bool {
    parameter.name == name
        || (parameter.style == ParameterStyle::DeepObject
            && name
                .strip_prefix(parameter.name.as_str())
                .is_some_and(|rest| rest.starts_with('[')))
}

/// The raw values a parameter was sent with: path values from routing,
/// every query pair of its name (`name[key]` ones for `deepObject`),
/// headers by case-insensitive name, cookies from `Cookie`.
fn parameter_values(
    request: &Request,
    target: &Target,
    path_values: &[(String, String)],
    parameter: &Parameter,
) -> Vec<(String, String)> {
    let name = parameter.name.as_str();
    match parameter.location {
        ParameterLocation::Path => path_values
            .iter()
            .filter(|(n, _)| n == name)
            .cloned()
            .collect(),
        ParameterLocation::Query => target
            .query
            .iter()
            .filter(|(n, _)| sent_as(parameter, n))
            .cloned()
            .collect(),
        ParameterLocation::Header => request
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .cloned()
            .collect(),
        ParameterLocation::Cookie => header(&request.headers, "cookie")
            .map(crate::exchange::cookies)
            .unwrap_or_default()
            .into_iter()
            .filter(|(n, _)| *n == name)
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use crate::exchange::cookies;

    #[test]
    fn reads_cookie_pairs() {
        assert_eq!(
            cookies("session=abc; theme=\"dark\";  lang = en ;broken; =x; empty="),
            [
                ("session", "abc"),
                ("theme", "dark"),
                ("lang", "en"),
                ("empty", "")
            ]
        );
        assert_eq!(cookies(""), []);
    }
}
