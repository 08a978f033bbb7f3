//! Every edition of one publication on the session's worker pool.
//!
//! Editions form a small graph: an edition made from another (its kind's
//! [`source`](super::kinds::Kind::source), e.g. `impose.from`) waits for its source and
//! takes what it needs of it; every other edition is independent. Independent editions
//! start at once, one per worker; a derived edition is queued the moment its source is
//! made. An edition laid out with another ([`laid_out_with`](super::kinds::Kind::laid_out_with),
//! `trimmed-from`) waits for it the same way when both are in the run, and starts at once
//! when it is not; if that edition fails, it is still made, on its own. Results come back in one fixed order whatever the timing (the project's order,
//! each derived edition right after its source), failures in their place. A panic while
//! making an edition becomes an error naming the publication and the edition; it never
//! takes down the other editions or the process.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Mutex;

use super::kinds::{self, Job, Made, Taken};
use super::{Session, Worlds};
use crate::compile::BuildError;
use crate::content::Publication;
use crate::contract::Stamp;
use crate::diag::Problem;

/// The editions to make for `names`, in result order: the sources of derived editions are
/// added when not asked for, and each derived edition follows its source.
pub fn order<'a>(session: &'a Session, names: &[&str]) -> Vec<&'a str> {
    let editions = &session.project.editions;
    let source = |name: &str| editions.get(name).and_then(|e| kinds::of(e).source(e));
    let wanted =
        |name: &str| names.contains(&name) || names.iter().any(|n| source(n) == Some(name));
    let mut out = Vec::new();
    for name in editions.keys().map(String::as_str) {
        if wanted(name) && source(name).is_none() {
            out.push(name);
            out.extend(
                editions
                    .keys()
                    .map(String::as_str)
                    .filter(|d| names.contains(d) && source(d) == Some(name)),
            );
        }
    }
    out
}

/// Shared by the tasks of one publication.
struct Run<'a> {
    session: &'a Session,
    publication: &'a Publication,
    stamp: &'a Stamp,
    order: Vec<&'a str>,
    slots: Vec<Mutex<Option<Result<Made, BuildError>>>>,
    worlds: Mutex<Worlds>,
}

impl Run<'_> {
    fn slot(&self, name: &str) -> usize {
        self.order
            .iter()
            .position(|n| *n == name)
            .expect("every task is in the order")
    }

    fn put(&self, name: &str, result: Result<Made, BuildError>) {
        *self.slots[self.slot(name)].lock().expect("slot") = Some(result);
    }

    /// The editions made from `name`, and those laid out with it.
    fn dependents(&self, name: &str) -> Vec<&str> {
        self.order
            .iter()
            .copied()
            .filter(|d| self.waits_for(d) == Some(name))
            .collect()
    }

    /// The edition in this run that `name` waits for, if any.
    fn waits_for(&self, name: &str) -> Option<&str> {
        let edition = &self.session.project.editions[name];
        let kind = kinds::of(edition);
        kind.source(edition).or_else(|| {
            kind.laid_out_with(edition)
                .filter(|with| self.order.contains(with))
        })
    }

    fn job<'j>(&'j self, name: &'j str) -> Job<'j> {
        Job {
            session: self.session,
            publication: self.publication,
            name,
            edition: &self.session.project.editions[name],
            stamp: self.stamp,
        }
    }

    /// Makes `name` in this worker, then queues what depends on it.
    fn task<'s>(&'s self, scope: &rayon::Scope<'s>, name: &'s str, taken: Option<Taken>) {
        let id = &self.publication.id;
        if self.session.interrupt.stops() {
            let interrupted = |edition: &str| BuildError::Interrupted {
                publication: id.clone(),
                edition: edition.to_string(),
            };
            for dependent in self.dependents(name) {
                self.put(dependent, Err(interrupted(dependent)));
            }
            self.put(name, Err(interrupted(name)));
            return;
        }
        let kept = self.worlds.lock().expect("worlds").remove(name);
        let job = self.job(name);
        let made = catch_unwind(AssertUnwindSafe(|| {
            kinds::of(job.edition).make(&job, kept, taken)
        }));
        let made = match made {
            Ok(Ok(made)) => Ok(made),
            Ok(Err((error, world))) => {
                if let Some(world) = world {
                    self.worlds
                        .lock()
                        .expect("worlds")
                        .insert(name.to_string(), world);
                }
                Err(error)
            }
            Err(panic) => Err(BuildError::from(
                Problem::error(format!(
                    "{id} ({name}): folio failed inside the compiler: {}",
                    panic_message(&*panic)
                ))
                .hint("this is a bug in folio or Typst; the other editions were not affected"),
            )),
        };
        for dependent in self.dependents(name) {
            let kind = kinds::of(&self.session.project.editions[dependent]);
            match &made {
                Ok(source) => match kind.take(&self.job(dependent), source) {
                    Ok(taken) => scope.spawn(move |scope| self.task(scope, dependent, Some(taken))),
                    Err(p) => self.put(dependent, Err(p.into())),
                },
                Err(_)
                    if kind
                        .source(&self.session.project.editions[dependent])
                        .is_none() =>
                {
                    scope.spawn(move |scope| self.task(scope, dependent, None))
                }
                Err(_) => self.put(
                    dependent,
                    Err(Problem::error(format!(
                        "{id}: {dependent} not made: {name}, which it is made from, failed"
                    ))
                    .hint(format!("fix the errors of {name} above"))
                    .into()),
                ),
            }
        }
        self.put(name, made);
    }
}

/// Makes the editions `names` of `publication` (and the sources they are derived from),
/// reusing and putting back the worlds in `worlds`. Results are in [`order`].
pub fn make_all(
    session: &Session,
    publication: &Publication,
    names: &[&str],
    stamp: &Stamp,
    worlds: &mut Worlds,
) -> Vec<Result<Made, BuildError>> {
    let order = order(session, names);
    let run = Run {
        session,
        publication,
        stamp,
        slots: order.iter().map(|_| Mutex::new(None)).collect(),
        order,
        worlds: Mutex::new(std::mem::take(worlds)),
    };
    session.pool.scope(|scope| {
        for name in run.order.iter().copied() {
            if run.waits_for(name).is_none() {
                let run = &run;
                scope.spawn(move |scope| run.task(scope, name, None));
            }
        }
    });
    *worlds = run.worlds.into_inner().expect("workers are done");
    run.slots
        .into_iter()
        .zip(&run.order)
        .map(|(slot, name)| {
            slot.into_inner().expect("slot").unwrap_or_else(|| {
                Err(Problem::error(format!("{}: {name} was not made", publication.id)).into())
            })
        })
        .collect()
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into())
}
