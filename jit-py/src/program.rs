//! Collects the program one compile needs: the function called, every jitted function it
//! reaches through its globals (transitively), their environments, and the global bindings the
//! compiled code depends on (checked again after a redefinition: [`Dep::holds`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyDict;

use jit_core::lower::{Env, GlobalValue};

use crate::dispatcher::{Dispatcher, Parsed};

/// Counts decorations (`jit()` calls) in this process. A dispatcher whose compiled code calls
/// other jitted functions re-checks the bindings it depends on when this moved since it last
/// looked: one relaxed load and a compare on the call path.
pub static DEFINITIONS: AtomicU64 = AtomicU64::new(0);

/// Called by `jit()` for every function it decorates (new dispatcher or sticky hit): a global
/// name may be about to refer to another jitted function.
#[pyfunction]
pub fn note_definition() {
    DEFINITIONS.fetch_add(1, Ordering::Relaxed);
}

/// One function of the program.
pub(crate) struct Member {
    pub parsed: Arc<Parsed>,
    pub env: Env,
}

/// A global binding compiled code depends on: `name` (or `module.attr`) in a function's
/// globals referred to `expected`, a dispatcher, when the code was made.
pub(crate) struct Dep {
    globals: Py<PyDict>,
    name: String,
    expected: Py<PyAny>,
}

impl Dep {
    /// Whether the binding still refers to the same dispatcher.
    pub fn holds(&self, py: Python<'_>) -> bool {
        let globals = self.globals.bind(py);
        let value = match self.name.split_once('.') {
            None => globals.get_item(&self.name).ok().flatten(),
            Some((base, attr)) => globals.get_item(base).ok().flatten().and_then(|m| m.getattr(attr).ok()),
        };
        value.is_some_and(|v| v.is(self.expected.bind(py)))
    }

    /// The name the caller uses, for `explain()`.
    pub fn name(&self) -> &str {
        &self.name
    }
}

pub(crate) struct Program {
    /// `members[0]` is the function called; the others in the order first reached (a
    /// breadth-first walk over each function's globals in first-use order), which is what
    /// numbers them in the code key.
    pub members: Vec<Member>,
    pub deps: Vec<Dep>,
}

/// The program rooted at `root` (whose Python object, for recognizing recursion, is `root_obj`).
pub(crate) fn collect<'py>(py: Python<'py>, root: &Dispatcher, root_obj: &Bound<'py, PyAny>) -> PyResult<Program> {
    let mut objs: Vec<Bound<'py, PyAny>> = vec![root_obj.clone()];
    let mut members = Vec::new();
    let mut deps = Vec::new();
    let mut i = 0;
    while i < objs.len() {
        let obj = objs[i].clone();
        let d: &Dispatcher = if i == 0 { root } else { obj.cast::<Dispatcher>()?.get() };
        let parsed = d.parsed_arc(py)?;
        let globals = d.py_func_globals(py)?;
        let mut reached = Vec::new();
        let env = d.env(py, &obj, &parsed, &mut |name: &str, callee: &Bound<'py, PyAny>| {
            reached.push((name.to_string(), callee.clone()));
            match objs.iter().position(|o| o.is(callee)) {
                Some(k) => k as u32,
                None => {
                    objs.push(callee.clone());
                    (objs.len() - 1) as u32
                }
            }
        })?;
        for (name, callee) in reached {
            deps.push(Dep { globals: globals.clone().unbind(), name, expected: callee.unbind() });
        }
        members.push(Member { parsed, env });
        i += 1;
    }
    Ok(Program { members, deps })
}

/// A tuple global as `_support.resolve_globals` describes it: `[(tag, payload), ...]`.
pub(crate) fn frozen_tuple(payload: &Bound<'_, PyAny>) -> PyResult<GlobalValue> {
    let mut items = Vec::new();
    for item in payload.try_iter()? {
        let (tag, value): (String, Bound<'_, PyAny>) = item?.extract()?;
        items.push(match tag.as_str() {
            "int" => GlobalValue::Int(value.extract()?),
            "float" => GlobalValue::Float(value.extract()?),
            "bool" => GlobalValue::Bool(value.extract()?),
            _ => frozen_tuple(&value)?,
        });
    }
    Ok(GlobalValue::Tuple(items))
}
