"""Run test cells where the notebook's own changes to the kernel cannot reach them.

Loaded into every grading kernel by `sandbox.SandboxKernel` (by file path,
under a random module name, before any student code runs); stdlib only, and
it must not import ``course_lib`` (a submission folder could shadow it).

A student's code runs in the same process as the tests, so it can change how
later code runs: IPython input transformers (``ip.input_transformers_post``)
and AST transformers (``ip.ast_transformers``) that rewrite ``assert``
lines, event hooks (``post_run_cell``) that clear an error, replaced builtins
(``builtins.len``), or replaced library functions
(``sys.modules["numpy"].allclose = lambda *a, **k: True``). The grader does
not send a test through IPython at all: it sends an empty cell whose
``user_expressions`` (evaluated by ipykernel after the cell, outside IPython's
transformers and hooks) call `Guard.run`, which

1. compares the kernel with the snapshot taken at start-up and puts back
   what changed: input and AST transformers, builtins, and the functions and
   classes of every module loaded before the student's code (the standard
   library), reporting each change as tampering;
2. checks the functions of ``course_lib``, ``numpy``, ``keras`` and
   ``sklearn`` modules for replacements defined in the notebook or the
   submission folder (code that is not in a file of an installed package);
   those cannot be put back, so the test fails, with the reason;
3. compiles the test with the ``compile`` and ``exec`` saved at start-up and
   runs it in the notebook's namespace;
4. returns the outcome with an HMAC under a key only the grader and this
   object know, so a replaced runner cannot forge a pass.

Limits: a test calls whatever its names are bound to in the notebook's
namespace, so a student cell that rebinds ``np`` or a helper imported in an
editable cell is not detected; test cells should import what they call
(``import numpy as np`` or ``from course_lib... import check`` inside the
test), which resolves through ``sys.modules`` and is checked. Code in the
kernel can also, with effort, read the key from memory or rewrite objects the
guard relies on (``functools.partial`` or ``exec``-made replacements of
library functions are not recognised as the notebook's). Such code is plainly
visible in the submission; the guard makes sure the usual tricks fail loudly
instead of passing quietly.
"""

from __future__ import annotations

import base64
import builtins
import hashlib
import hmac
import json
import os
import sys
import types

# Names IPython and the interpreter themselves rebind in builtins.
_VOLATILE_BUILTINS = frozenset(
    {"_", "__", "___", "get_ipython", "exit", "quit", "display", "__IPYTHON__", "dreload", "input"}
)
_WATCHED_PACKAGES = ("course_lib", "numpy", "keras", "sklearn")
_TRANSFORMER_LISTS = ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")
_MANAGER_LISTS = ("cleanup_transforms", "line_transforms", "token_transformers")


def _callables(module: types.ModuleType) -> dict[str, object]:
    try:
        items = list(vars(module).items())
    except TypeError:
        return {}
    return {
        name: value
        for name, value in items
        if isinstance(value, types.FunctionType | types.BuiltinFunctionType | type)
    }


class Guard:
    """The start-up snapshot of a kernel and the runner for test cells.

    Args:
        shell: the kernel's ``InteractiveShell``.
        key: the grader's HMAC key for this kernel.
        workdir: the submission's working directory (code from there is the
            student's).
    """

    def __init__(self, shell: object, key: bytes, workdir: str) -> None:
        self._shell = shell
        self._key = key
        self._workdir = os.path.realpath(workdir)
        self._files: dict[str, bool] = {}
        self._compile = compile
        self._exec = exec
        self._builtins = dict(vars(builtins))
        self._lists = {name: list(getattr(shell, name, [])) for name in _TRANSFORMER_LISTS}
        manager = getattr(shell, "input_transformer_manager", None)
        self._manager_lists = {name: list(getattr(manager, name, [])) for name in _MANAGER_LISTS}
        self._modules = {
            name: (module, _callables(module))
            for name, module in list(sys.modules.items())
            if isinstance(module, types.ModuleType) and name != "__main__"
        }

    def check(self) -> tuple[list[str], list[str]]:
        """Find and undo changes since start-up.

        Returns:
            ``(restored, unrecoverable)``: one sentence per change.
        """
        restored: list[str] = []
        namespace = vars(builtins)
        for name, value in self._builtins.items():
            if name in _VOLATILE_BUILTINS:
                continue
            if namespace.get(name, _MISSING) is not value:
                namespace[name] = value
                restored.append(f"builtins.{name} was replaced")
        shell = self._shell
        for name, saved in self._lists.items():
            current = getattr(shell, name, None)
            if isinstance(current, list) and current != saved:
                current[:] = saved
                restored.append(f"IPython's {name} were changed")
            elif not isinstance(current, list):
                setattr(shell, name, list(saved))
                restored.append(f"IPython's {name} were replaced")
        manager = getattr(shell, "input_transformer_manager", None)
        for name, saved in self._manager_lists.items():
            current = getattr(manager, name, None)
            if isinstance(current, list) and current != saved:
                current[:] = saved
                restored.append(f"IPython's input_transformer_manager.{name} were changed")
        for name, (module, saved) in self._modules.items():
            if sys.modules.get(name) is not module and name in sys.modules:
                sys.modules[name] = module
                restored.append(f"sys.modules[{name!r}] was replaced")
            namespace = vars(module)
            for attr, value in saved.items():
                current = namespace.get(attr, _MISSING)
                # A library may patch another one; only the notebook's code is tampering.
                if current is not value and (current is _MISSING or self._foreign(current)):
                    namespace[attr] = value
                    restored.append(f"{name}.{attr} was replaced")
        return restored, self._replaced_library_functions()

    def _foreign(self, value: object) -> bool:
        """Defined by the notebook or the submission's files, not by an installed package."""
        if isinstance(value, types.FunctionType):
            return not self._installed(value)
        module = getattr(type(value), "__module__", None)
        if module == "__main__":
            return True
        call = getattr(type(value), "__call__", None)  # noqa: B004 - the method, not callable()
        return isinstance(call, types.FunctionType) and not self._installed(call)

    def _replaced_library_functions(self) -> list[str]:
        found = []
        for name, module in list(sys.modules.items()):
            if name in self._modules or not name.startswith(_WATCHED_PACKAGES):
                continue
            if not isinstance(module, types.ModuleType):
                found.append(f"sys.modules[{name!r}] is not a module")
                continue
            for attr, value in list(vars(module).items()):
                if callable(value) and not isinstance(value, type) and self._foreign(value):
                    found.append(f"{name}.{attr} was replaced by code from the notebook")
        return found

    def _installed(self, function: types.FunctionType) -> bool:
        """The function was not defined by the notebook or the submission's files."""
        filename = function.__code__.co_filename
        known = self._files.get(filename)
        if known is None:
            known = self._files[filename] = self._installed_file(filename)
        return known

    def _installed_file(self, filename: str) -> bool:
        """Not a notebook cell and not a file of the submission.

        Libraries also make functions with ``exec`` (``<string>``) and the
        standard library is partly frozen (``<frozen abc>``): only code the
        notebook itself defined counts as foreign.
        """
        if filename.startswith("<ipython-input"):
            return False
        if not os.path.isabs(filename):
            return True
        real = os.path.realpath(filename)
        cells = os.path.join(os.path.realpath(os.environ.get("TMPDIR", "/tmp")), "ipykernel_")
        return not (real.startswith(self._workdir + os.sep) or real.startswith(cells))

    def run(self, nonce: str, source_b64: str) -> str:
        """Run one test cell; the signed outcome as ``JSON + "\\n" + HMAC``."""
        restored, unrecoverable = self.check()
        outcome: dict[str, object] = {"nonce": nonce, "status": "ok", "ename": None, "evalue": None}
        if unrecoverable:
            outcome.update(
                status="error",
                ename="Tampering",
                evalue="; ".join(unrecoverable[:3]) + " (the test cannot be trusted)",
            )
        else:
            try:
                source = base64.b64decode(source_b64).decode("utf-8")
                code = self._compile(source, "<test cell>", "exec")
                self._exec(code, self._shell.user_ns)  # type: ignore[attr-defined]
            except BaseException as exc:  # noqa: BLE001 - everything a test raises is its result
                outcome.update(status="error", ename=type(exc).__name__, evalue=str(exc))
        outcome["tampering"] = restored + unrecoverable
        payload = json.dumps(outcome, sort_keys=True)
        mac = hmac.new(self._key, payload.encode("utf-8"), hashlib.sha256).hexdigest()
        return payload + "\n" + mac


_MISSING = object()


def install(shell: object, key_hex: str, workdir: str) -> Guard:
    """Snapshot the fresh kernel and return the guard (kept in this module)."""
    global GUARD
    GUARD = Guard(shell, bytes.fromhex(key_hex), workdir)
    return GUARD


def run(nonce: str, source_b64: str) -> str:
    """What the grader's ``user_expressions`` call."""
    return GUARD.run(nonce, source_b64)


GUARD: Guard
