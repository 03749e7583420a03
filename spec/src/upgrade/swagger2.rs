// TEMPORARY until the upgrade module lands.
use crate::provenance::PointerMap;
use crate::warning::Warning;
use serde_json::Value;
pub(crate) fn upgrade(doc: Value, _moves: &mut PointerMap, _warnings: &mut Vec<Warning>) -> Value {
    doc
}
pub(crate) fn upgrade_response(response: Value, _produces: &[String], _warnings: &mut Vec<Warning>) -> Value {
    response
}
pub(crate) fn upgrade_parameter(parameter: Value, _warnings: &mut Vec<Warning>) -> Value {
    parameter
}
