//! Validating a FHIR bundle with the package `fhir.resources` (6.4.0,
//! FHIR R4 4.0.1) through `scripts/fhir_validate.py`. `scripts/test`
//! installs the package into a virtual environment and names its Python in
//! `CORDON_FHIR_PYTHON`; without it the test fails and says how to install it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The Python that has `fhir.resources`: `CORDON_FHIR_PYTHON`, else the
/// virtual environment `scripts/test` makes under the default target folder.
fn python() -> PathBuf {
    match std::env::var_os("CORDON_FHIR_PYTHON") {
        Some(python) => PathBuf::from(python),
        None => root().join("target/fhir-venv/bin/python"),
    }
}

const HOW_TO_INSTALL: &str = "the FHIR validator (the PyPI package fhir.resources 6.4.0, FHIR R4) is missing. \
    scripts/test installs it; by hand: `python3 -m venv target/fhir-venv && \
    target/fhir-venv/bin/pip install fhir.resources==6.4.0 pydantic==1.10.26`, \
    then run the tests with CORDON_FHIR_PYTHON=$PWD/target/fhir-venv/bin/python";

/// Validates the bundle `text`, which must hold resources of each of
/// `kinds`; panics with the validator's findings.
pub fn validate(text: &str, kinds: &[&str]) {
    let python = python();
    let found = Command::new(&python).args(["-c", "import fhir.resources"]).output();
    assert!(found.is_ok_and(|o| o.status.success()), "{HOW_TO_INSTALL} (tried {})", python.display());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bundle.json");
    std::fs::write(&file, text).unwrap();
    let out = Command::new(&python).arg(root().join("scripts/fhir_validate.py")).arg(&file).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "fhir.resources refused the bundle:\n{stderr}{stdout}");
    for kind in kinds {
        assert!(stdout.lines().any(|l| l.starts_with(&format!("{kind} "))), "no {kind} validated: {stdout}");
    }
}
