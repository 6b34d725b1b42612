"""`cmake --install` of the tested build into a temporary DESTDIR: the installed binary sweeps, the
man page renders without warnings, and the bash, zsh and fish completions offer every option and
every value of the options that take a fixed set. The expected options are read from the
binary's own --help (CLI11's formatter), never typed here, so options added later are checked
with no edit. The integration files (action.yml, .pre-commit-hooks.yaml) are checked against the
same list. The .deb, lintian and pre-commit itself are slower and run once: scripts/package-check."""
import filecmp
import os
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BIN, ROOT, check_exit, run, tempdir, write_tree  # noqa: E402

BUILD = os.environ.get("ASYNCSWEEP_BUILD_DIR", os.path.join(ROOT, "build"))
PREFIX = "/usr"

# "  -A,--after-context INT:INT in [0 - 1000]=-1": the names, then the type and its {choices}.
OPTION_LINE = re.compile(r"^  ((?:--?[A-Za-z0-9][\w-]*,)*--?[A-Za-z0-9][\w-]*)(?:\s+(\S.*))?$")
CHOICES = re.compile(r"\{([^{}]*)\}")


def help_of(*command):
    code, out, err = run(*command, "--help", expect=0)
    return out.decode()


def reported_commands():
    """{subcommand or "": {option name: [choices]}} as `--help` of each lists them."""
    text = help_of()
    subs = []
    if "Subcommands:" in text:
        for line in text.split("Subcommands:", 1)[1].splitlines():
            if line.startswith("  ") and line.strip():
                subs.append(line.split()[0])
    commands = {}
    for sub in ["", *subs]:
        options = {}
        section = None
        for line in help_of(*([sub] if sub else [])).splitlines():
            if line.endswith(":") and not line.startswith(" "):
                section = line
                continue
            match = OPTION_LINE.match(line)
            if section != "Options:" or not match:
                continue
            choices = CHOICES.search(match.group(2) or "")
            for name in match.group(1).split(","):
                options[name] = choices.group(1).split(",") if choices else []
        assert "--help" in options, f"no options parsed from asyncsweep {sub} --help"
        commands[sub] = options
    assert len(commands) > 1, "no subcommands parsed from --help"
    return commands


def runpath(binary):
    """The RUNPATH (or RPATH) directories of an ELF file, as readelf (binutils) reads them."""
    out = subprocess.run(["readelf", "-d", binary], stdout=subprocess.PIPE, check=True).stdout.decode()
    dirs = []
    for match in re.finditer(r"\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[([^\]]*)\]", out):
        dirs += [d for d in match.group(1).split(":") if d]
    return dirs


def text_section(binary):
    """The bytes of the code section (objcopy, binutils)."""
    with tempdir() as d:
        out = os.path.join(d, "text")
        subprocess.run(["objcopy", "-O", "binary", "--only-section=.text", binary, out], check=True)
        with open(out, "rb") as handle:
            return handle.read()


class Installed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempdir()
        cls.destdir = cls.tmp.name
        env = dict(os.environ, DESTDIR=cls.destdir)
        proc = subprocess.run(["cmake", "--install", BUILD, "--prefix", PREFIX], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert proc.returncode == 0, proc.stdout.decode()
        cls.usr = os.path.join(cls.destdir, PREFIX.lstrip("/"))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, rel):
        path = os.path.join(self.usr, rel)
        self.assertTrue(os.path.isfile(path), f"not installed: {PREFIX}/{rel}")
        return path

    def test_installed_binary_is_the_tested_one_and_sweeps(self):
        installed = self.path("bin/asyncsweep")
        env = dict(os.environ)
        build_runpath = runpath(BIN)
        if not build_runpath:
            self.assertTrue(filecmp.cmp(installed, BIN, shallow=False), f"{installed} is not {BIN}")
        else:
            # A build linked against libraries outside the system's (the TSan stage's own
            # oneTBB) has a RUNPATH into the build tree, which `cmake --install` strips, as it
            # should: the code must still be the tested code, and it runs with those libraries.
            self.assertEqual(runpath(installed), [], f"{installed} keeps the build tree's RUNPATH")
            self.assertEqual(text_section(installed), text_section(BIN), f"{installed} is not {BIN}")
            env["LD_LIBRARY_PATH"] = ":".join(build_runpath)
        with tempdir() as d:
            write_tree(d, {"app/io.py": "import time\n\nasync def tick():\n    time.sleep(1)\n"})
            proc = subprocess.run([installed, "--format", "rg", d], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, env=env)
            check_exit(proc.returncode, 1, "installed asyncsweep", proc.stderr.decode())
            self.assertIn("io.py:4:", proc.stdout.decode())

    def test_man_page_renders_without_warnings_and_lists_every_option(self):
        if not shutil.which("man"):
            self.skipTest("man is not installed (Debian package man-db)")
        page = self.path("share/man/man1/asyncsweep.1.gz")
        env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8", MAN_KEEP_FORMATTING="")
        proc = subprocess.run(["man", "--warnings", "-l", page], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode())
        self.assertEqual(proc.stderr.decode(), "", "man --warnings")
        text = re.sub(r".\x08", "", proc.stdout.decode())  # overstrike bold, if any
        for section in ("SYNOPSIS", "OPTIONS", "COMMANDS", "EXIT STATUS", "FILES", "EXAMPLES"):
            self.assertRegex(text, rf"(?m)^{section}$")
        for sub, options in reported_commands().items():
            if sub:
                self.assertIn(f"asyncsweep {sub}", text)
            for name, choices in options.items():
                # As typed: ASCII hyphens a user can copy, not U+2010 or U+2212.
                self.assertRegex(text, rf"(?<![\w-]){re.escape(name)}(?![\w-])", f"{sub} {name}")
                for choice in choices:
                    self.assertIn(choice, text)

    def bash_complete(self, script, *words):
        """COMPREPLY of the installed completion function for the command line `words` (the
        last word being the one completed), as bash would call it."""
        quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
        program = (f"source '{script}'\n"
                   f"COMP_WORDS=({quoted}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))\n"
                   "COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}\n"
                   "$(complete -p asyncsweep | sed -E 's/.*-F ([^ ]+) .*/\\1/') asyncsweep "
                   "\"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
                   "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
        proc = subprocess.run(["bash", "--norc", "--noprofile", "-c", program], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, cwd=self.destdir)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode())
        self.assertEqual(proc.stderr.decode(), "")
        return {line for line in proc.stdout.decode().splitlines() if line}

    def test_bash_completes_every_option_and_value(self):
        script = self.path("share/bash-completion/completions/asyncsweep")
        commands = reported_commands()
        for sub, options in commands.items():
            prefix = ["asyncsweep", *([sub] if sub else [])]
            with self.subTest(command=sub or "asyncsweep"):
                self.assertEqual(self.bash_complete(script, *prefix, "-"), set(options))
                for name, choices in options.items():
                    if choices:
                        self.assertEqual(self.bash_complete(script, *prefix, name, ""), set(choices), name)
        top = commands[""]
        self.assertIn("--format", top)
        first = top["--format"][0]
        self.assertEqual(self.bash_complete(script, "asyncsweep", "--format", first[:2]),
                         {c for c in top["--format"] if c.startswith(first[:2])})
        # --format=VALUE: bash splits the word at '='.
        self.assertEqual(self.bash_complete(script, "asyncsweep", "--format", "=", ""), set(top["--format"]))
        subs = {s for s in commands if s}
        self.assertTrue(subs <= self.bash_complete(script, "asyncsweep", ""), "subcommands")

    def test_zsh_and_fish_completions_cover_every_option(self):
        commands = reported_commands()
        names = {name for options in commands.values() for name in options}
        zsh = self.path("share/zsh/vendor-completions/_asyncsweep")
        fish = self.path("share/fish/vendor_completions.d/asyncsweep.fish")
        with open(zsh) as handle:
            zsh_text = handle.read()
        self.assertTrue(zsh_text.startswith("#compdef asyncsweep\n"))
        for name in names:
            self.assertRegex(zsh_text, rf"'\*?{re.escape(name)}[=+]?\[", name)
        if shutil.which("zsh"):
            proc = subprocess.run(["zsh", "-n", zsh], stderr=subprocess.PIPE)
            self.assertEqual(proc.returncode, 0, proc.stderr.decode())
            # The dispatch on the subcommand, run with _arguments replaced by a printer: each
            # command must hand zsh exactly its own options' specs.
            for sub, options in commands.items():
                words = " ".join(["asyncsweep", *([sub] if sub else []), "--"])
                program = (f"_arguments() {{ print -rl -- \"$@\" }}; _alternative() {{ }}; "
                           f"words=({words}); CURRENT=${{#words}}; source {zsh}")
                proc = subprocess.run(["zsh", "-f", "-c", program], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                self.assertEqual(proc.returncode, 0, proc.stderr.decode())
                specs = {re.match(r"\*?(-[\w-]+)", line).group(1)
                         for line in proc.stdout.decode().splitlines() if re.match(r"\*?-[\w-]+[=+]?\[", line)}
                self.assertEqual(specs, set(options), sub or "asyncsweep")
        if not shutil.which("fish"):
            self.skipTest("fish is not installed: the zsh file was checked, the fish one not")
        # fish's own completer, driven with the installed file.
        for sub, options in commands.items():
            line = "asyncsweep " + (sub + " " if sub else "") + "-"
            proc = subprocess.run(["fish", "--no-config", "-c", f"source {fish}; complete -C'{line}'"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=self.destdir)
            self.assertEqual(proc.returncode, 0, proc.stderr.decode())
            offered = {entry.split("\t")[0] for entry in proc.stdout.decode().splitlines()}
            long_names = {n for n in options if n.startswith("--")}
            self.assertTrue(long_names <= offered, (sub, sorted(long_names - offered)))
        proc = subprocess.run(["fish", "--no-config", "-c", f"source {fish}; complete -C'asyncsweep --sort '"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual({e.split("\t")[0] for e in proc.stdout.decode().splitlines()}, set(commands[""]["--sort"]))


class Integrations(unittest.TestCase):
    """action.yml and .pre-commit-hooks.yaml: valid YAML with the keys GitHub and pre-commit
    require, and every flag they pass is one the binary reports."""

    def load(self, name):
        import yaml
        with open(os.path.join(ROOT, name)) as handle:
            return yaml.safe_load(handle)

    def assert_flags_known(self, text, known):
        for flag in re.findall(r"(?<![\w-])--[a-z][\w-]*", text):
            self.assertIn(flag, known, f"{flag} in {text!r}")

    def test_action_metadata(self):
        action = self.load("action.yml")
        for key in ("name", "description", "runs"):
            self.assertIn(key, action)
        self.assertEqual(action["runs"]["using"], "composite")
        steps = action["runs"]["steps"]
        self.assertTrue(steps)
        for step in steps:
            self.assertTrue(("run" in step) != ("uses" in step), step)
            if "run" in step:
                self.assertIn("shell", step, "a composite step's run needs a shell")
        for name, spec in action.get("inputs", {}).items():
            self.assertIn("description", spec, name)
        for name, spec in action.get("outputs", {}).items():
            self.assertIn("value", spec, name)
        self.assertTrue(any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@") for s in steps))
        top = reported_commands()[""]
        self.assertIn(action["inputs"]["format"]["default"], top["--format"])
        sweep = [s["run"] for s in steps if "asyncsweep" in s.get("run", "") and "--format" in s.get("run", "")]
        self.assertTrue(sweep, "no step runs a sweep")
        for text in sweep:
            self.assert_flags_known(text, top)

    def test_pre_commit_hook(self):
        hooks = {hook["id"]: hook for hook in self.load(".pre-commit-hooks.yaml")}
        hook = hooks["asyncsweep"]
        for key in ("name", "entry", "language"):
            self.assertIn(key, hook)
        self.assertEqual(hook["entry"].split()[0], "asyncsweep")
        self.assertIn("python", hook.get("types", []) + hook.get("types_or", []))
        self.assertTrue(hook.get("require_serial"), "one invocation for all files")
        self.assert_flags_known(" ".join([hook["entry"], *hook.get("args", [])]), reported_commands()[""])
        self.assertIn("asyncsweep-changed-lines", hooks)


if __name__ == "__main__":
    unittest.main()
