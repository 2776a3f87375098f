"""Pack-local experiments, run where they cannot hurt: in a separate, limited process.

A pack folder may hold ``experiments/NAME.py`` modules. This room finds and hashes
them without importing anything (:mod:`.files`), and runs them in a child process
with a time and memory limit (:mod:`.worker` in the parent, :mod:`.child` in the
child), talking over pipes in a format that never unpickles (:mod:`.protocol`).
Whether the user has consented to run a pack's code is decided elsewhere
(``studyreg.study.trust``); nothing here is called before that.
"""

# Only the light part here: finding and hashing files needs neither NumPy nor pydantic
# (the app checks trust at start-up). Import the worker from studyreg.sandbox.worker.
from studyreg.sandbox.files import CODE_DIR, code_digest, code_files, pack_experiment_files

__all__ = ["CODE_DIR", "code_digest", "code_files", "pack_experiment_files"]
