//! liblouis's `lou_translate`, run as a separate process (never linked: the Rust bindings
//! are GPL-3 and bundle an old liblouis), bounded in time and in the size of what it
//! returns, like every other input folio reads.
//!
//! All the text of a publication goes in one call, one line per piece: `lou_translate`
//! translates each input line to one output line, so the n-th line out is the n-th piece.
//! The output is Unicode braille (display table `unicode.dis`): the BRF is made from it
//! by a fixed table ([`super::cells`]), so both files always show the same dots.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The program folio runs.
pub const PROGRAM: &str = "lou_translate";
/// How long one translation may take before it is stopped.
pub const TIME_LIMIT: Duration = Duration::from_secs(60);
/// The most bytes a translation may return per byte sent (braille of a character is a few
/// cells of three bytes each), plus a fixed allowance.
const OUTPUT_PER_INPUT: usize = 32;
const OUTPUT_ALLOWANCE: usize = 1 << 20;

/// Why a translation gave no braille.
#[derive(Debug)]
pub enum LouisFailure {
    /// `lou_translate` is not installed (or not on `PATH`).
    Missing,
    /// It ran but failed, took too long or said too much: what happened.
    Failed(String),
}

/// Translates each of `pieces` (no line breaks inside) with `table`; one braille string
/// per piece, in Unicode braille.
pub fn translate(table: &str, pieces: &[String]) -> Result<Vec<String>, LouisFailure> {
    if pieces.is_empty() {
        return Ok(Vec::new());
    }
    let mut input = String::new();
    for piece in pieces {
        debug_assert!(!piece.contains('\n'));
        input.push_str(piece);
        input.push('\n');
    }
    let limit = input.len() * OUTPUT_PER_INPUT + OUTPUT_ALLOWANCE;
    let output = run(
        PROGRAM,
        &format!("unicode.dis,{table}"),
        input.into_bytes(),
        limit,
    )?;
    let text = String::from_utf8(output)
        .map_err(|_| LouisFailure::Failed("lou_translate wrote text that is not UTF-8".into()))?;
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.len() != pieces.len() {
        return Err(LouisFailure::Failed(format!(
            "lou_translate returned {} lines for {} sent",
            lines.len(),
            pieces.len()
        )));
    }
    Ok(lines)
}

/// Translates each of `chars` alone with `table`, one braille string per character. A
/// character's braille alone depends only on the table, so it is kept for the process: a
/// catalogue of publications, or `folio watch` after each save, asks `lou_translate` only
/// for characters it has not seen.
pub fn translate_chars(table: &str, chars: &[char]) -> Result<Vec<String>, LouisFailure> {
    type Seen = HashMap<(String, char), String>;
    static SEEN: OnceLock<Mutex<Seen>> = OnceLock::new();
    let seen = SEEN.get_or_init(Default::default);
    let known = |seen: &Seen, c: char| seen.get(&(table.to_string(), c)).cloned();
    let new: Vec<char> = {
        let seen = seen.lock().unwrap_or_else(|e| e.into_inner());
        chars
            .iter()
            .copied()
            .filter(|&c| known(&seen, c).is_none())
            .collect()
    };
    let pieces: Vec<String> = new.iter().map(char::to_string).collect();
    let braille = translate(table, &pieces)?;
    let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
    for (c, b) in new.into_iter().zip(braille) {
        seen.insert((table.to_string(), c), b);
    }
    Ok(chars
        .iter()
        .map(|&c| known(&seen, c).unwrap_or_default())
        .collect())
}

/// Whether `table` is one liblouis can load (`lou_translate` fails on one it cannot).
pub fn table_loads(table: &str) -> Result<bool, LouisFailure> {
    match run(
        PROGRAM,
        &format!("unicode.dis,{table}"),
        b"a\n".to_vec(),
        OUTPUT_ALLOWANCE,
    ) {
        Ok(_) => Ok(true),
        Err(LouisFailure::Failed(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

fn run(program: &str, tables: &str, input: Vec<u8>, limit: usize) -> Result<Vec<u8>, LouisFailure> {
    let mut child = Command::new(program)
        .arg("--forward")
        .arg(tables)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => LouisFailure::Missing,
            _ => LouisFailure::Failed(format!("cannot start {program}: {e}")),
        })?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || {
        // A tool that stops reading early makes this fail; its exit status tells why.
        let _ = stdin.write_all(&input);
    });
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let read = (&mut stdout).take(limit as u64 + 1).read_to_end(&mut out);
        read.map(|_| out)
    });
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let errors = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > TIME_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(LouisFailure::Failed(format!(
                    "{PROGRAM} took longer than {} s and was stopped",
                    TIME_LIMIT.as_secs()
                )));
            }
            // A translation takes a few milliseconds: look often, so no build waits long for
            // one that has finished.
            Ok(None) => std::thread::sleep(Duration::from_millis(1)),
            Err(e) => return Err(LouisFailure::Failed(format!("{PROGRAM}: {e}"))),
        }
    };
    let _ = writer.join();
    let out = reader
        .join()
        .map_err(|_| LouisFailure::Failed("reading braille failed".into()))?
        .map_err(|e| LouisFailure::Failed(format!("reading braille: {e}")))?;
    let errors = errors.join().unwrap_or_default();
    if !status.success() || (!errors.trim().is_empty() && out.is_empty()) {
        return Err(LouisFailure::Failed(format!(
            "{PROGRAM} failed ({status}): {}",
            errors.trim()
        )));
    }
    if out.len() > limit {
        return Err(LouisFailure::Failed(format!(
            "{PROGRAM} returned more than {limit} bytes"
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_program_is_its_own_outcome_not_a_failure() {
        let outcome = run(
            "folio-test-no-such-program",
            "en-ueb-g2.ctb",
            b"a\n".to_vec(),
            100,
        );
        assert!(matches!(outcome, Err(LouisFailure::Missing)));
    }
}
