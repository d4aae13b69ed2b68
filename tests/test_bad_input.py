"""Bad input, as a hostile new user would give it: one ``error:`` line and exit 2.

Every case runs a command of the CLI in-process and checks that it ends with exactly one
line starting ``error:`` and exit status 2, prints no traceback, changes no file outside
the folder given to ``--out``, and leaves no half-written file in it. The attack corpus
for ``[data] sample`` is run through ``fit`` and ``robustness`` and must execute
nothing (a canary file is never created).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
import tomli_w
from typer.testing import CliRunner

from enforcement_lab.cli import app
from enforcement_lab.data.synthetic import twfe_panel

runner = CliRunner()
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

MODEL = {
    "outcome": "y",
    "regressors": ["treatment", "x1", "x2"],
    "effects": ["entity", "time"],
}


@pytest.fixture(scope="module")
def data_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data") / "panel.csv"
    twfe_panel(15, 8, seed=2).reset_index().to_csv(path, index=False)
    return path


def _spec(tmp: Path, data: dict | None = None, model: dict | None = None, **tables) -> str:
    doc = {"data": data if data is not None else {"source": "panel.csv"}, "model": model or MODEL}
    doc.update(tables)
    path = tmp / "spec.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return str(path)


def _raw(tmp: Path, text: str | bytes, name: str = "spec.toml") -> str:
    path = tmp / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def _csv(tmp: Path, text: str | bytes, name: str = "bad.csv") -> str:
    return _raw(tmp, text, name)


def _panel_with(tmp: Path, change: Callable, name: str = "panel.csv") -> None:
    df = twfe_panel(15, 8, seed=2).reset_index()
    df = change(df)
    df.to_csv(tmp / name, index=False)


def fit(tmp: Path, **kw) -> list[str]:
    return ["fit", _spec(tmp, **kw), "--out", str(tmp / "out")]


def fit_data(data: dict) -> Callable[[Path], list[str]]:
    return lambda tmp: fit(tmp, data={"source": "panel.csv", **data})


def fit_model(change: dict, drop: tuple[str, ...] = ()) -> Callable[[Path], list[str]]:
    model = {k: v for k, v in {**MODEL, **change}.items() if k not in drop}
    return lambda tmp: fit(tmp, model=model)


def fit_text(text: str | bytes) -> Callable[[Path], list[str]]:
    return lambda tmp: ["fit", _raw(tmp, text), "--out", str(tmp / "out")]


def fit_panel(change: Callable, model: dict | None = None) -> Callable[[Path], list[str]]:
    def build(tmp: Path) -> list[str]:
        _panel_with(tmp, change)
        return fit(tmp, model=model)

    return build


def fit_csv(content: str | bytes) -> Callable[[Path], list[str]]:
    def build(tmp: Path) -> list[str]:
        _csv(tmp, content)
        return fit(tmp, data={"source": "bad.csv"})

    return build


def rob(robustness: dict | None = None, *extra: str, model: dict | None = None, data=None):
    def build(tmp: Path) -> list[str]:
        tables = {} if robustness is None else {"robustness": robustness}
        path = _spec(tmp, data=data, model=model, **tables)
        return ["robustness", path, "--out", str(tmp / "out"), "--no-progress", *extra]

    return build


def plain(*args: str) -> Callable[[Path], list[str]]:
    return lambda tmp: [a.replace("{tmp}", str(tmp)) for a in args]


def solve_file(text: str | bytes, name: str = "game.toml") -> Callable[[Path], list[str]]:
    return lambda tmp: ["solve", "--file", _raw(tmp, text, name)]


def _read_only(tmp: Path) -> list[str]:
    out = tmp / "ro"
    out.mkdir()
    out.chmod(0o555)
    return [*fit(tmp), "--out", str(out)]


def _latin1_notebook(tmp: Path) -> list[str]:
    (tmp / "papers" / "p").mkdir(parents=True)
    (tmp / "papers" / "p" / "01_x.py").write_bytes("# caf\xe9\n".encode("latin-1"))
    return ["paper", "build", str(tmp / "papers")]


def _bad_header_notebook(tmp: Path) -> list[str]:
    (tmp / "papers" / "p").mkdir(parents=True)
    (tmp / "papers" / "p" / "01_x.py").write_text(
        "# ---\n# jupyter:\n#   jupytext:\n#     text_representation:\n"
        "#       format_name: percent\n#   : [unclosed\n# ---\n",
        encoding="utf-8",
    )
    return ["paper", "build", str(tmp / "papers"), "--param", "X=1"]


CASES: dict[str, Callable[[Path], list[str]]] = {
    # ---- the spec file itself
    "spec missing": plain("fit", "{tmp}/nope.toml"),
    "spec is a folder": plain("fit", "{tmp}"),
    "spec binary": fit_text(b"\xff\xfe\x00\x01\x02"),
    "spec latin-1": fit_text('[model]\noutcome = "caf\xe9"\n'.encode("latin-1")),
    "spec invalid toml": fit_text("[model\noutcome = 'y'"),
    "spec empty": fit_text(""),
    "model is a string": fit_text('model = "x"\n'),
    "data is a number": fit_text('data = 5\n[model]\noutcome = "y"\nregressors = ["x1"]\n'),
    "robustness is a list": fit_text(
        'robustness = [1]\n[data]\nsource = "panel.csv"\n[model]\noutcome = "y"\nregressors = ["x1"]\n'
    ),
    "unknown top table": lambda tmp: fit(tmp, extra={"a": 1}),
    "unknown data key": fit_data({"sourc": "x"}),
    "unknown model key": fit_model({"regresors": ["x1"]}),
    "no outcome": fit_model({}, drop=("outcome",)),
    # ---- wrong TOML types
    "regressors = 5": fit_model({"regressors": 5}),
    "regressors a string": fit_model({"regressors": "x1"}),
    "regressors numbers": fit_model({"regressors": [1, 2]}),
    "regressors empty": fit_model({"regressors": []}),
    "regressors duplicated": fit_model({"regressors": ["x1", "x1"]}),
    "outcome = 5": fit_model({"outcome": 5}),
    "outcome empty": fit_model({"outcome": ""}),
    "outcome a list": fit_model({"outcome": ["y"]}),
    "outcome also regressor": fit_model({"regressors": ["y", "x1"]}),
    "treatment not a regressor": fit_model({"treatment": "x9"}),
    "treatment = 1": fit_model({"treatment": 1}),
    "effects a string": fit_model({"effects": "entity"}),
    "effects unknown": fit_model({"effects": ["firm"]}),
    "effects duplicated": fit_model({"effects": ["entity", "entity"]}),
    "estimator unknown": fit_model({"estimator": "ols"}),
    "estimator = 5": fit_model({"estimator": 5}),
    "cov unknown": fit_model({"cov": "hc9"}),
    "cov = true": fit_model({"cov": True}),
    "cluster unknown": fit_model({"cluster": "firm"}),
    "lags negative": fit_model({"lags": -1}),
    "lags float": fit_model({"lags": 1.5}),
    "lags string": fit_model({"lags": "1"}),
    "lags bool": fit_model({"lags": True}),
    "options = 5": fit_model({"options": 5}),
    "options nested table": fit_model({"options": {"a": {"b": 1}}}),
    "source = 5": fit_data({"source": 5}),
    "source a list": fit_data({"source": ["a.csv"]}),
    "source missing": lambda tmp: fit(tmp, data={"entity": "iso3"}),
    "source file absent": fit_data({"source": "nope.csv"}),
    "source unknown name": fit_data({"source": "no_such_dataset"}),
    "entity = 5": fit_data({"entity": 5}),
    "time a list": fit_data({"time": ["year"]}),
    "entity unknown column": fit_data({"entity": "country"}),
    "sample = 5": fit_data({"sample": 5}),
    "sample empty": fit_data({"sample": ""}),
    "sample bad syntax": fit_data({"sample": "year >>> 3"}),
    "sample unknown column": fit_data({"sample": "decade > 3"}),
    "sample text vs number": fit_data({"sample": "region > 3"}),
    "sample not boolean": fit_data({"sample": "year + 1"}),
    "sample keeps no rows": fit_data({"sample": "year > 3000"}),
    "sample too long": fit_data({"sample": "year > 1 and " * 300 + "year > 1"}),
    # ---- the data
    "unknown outcome column": fit_model({"outcome": "nope"}),
    "unknown regressor column": fit_model({"regressors": ["treatment", "ghost"]}),
    "text outcome": fit_panel(lambda d: d.assign(y="high")),
    "text regressor": fit_panel(lambda d: d.assign(x1=["a", "b"] * (len(d) // 2))),
    "inf values": fit_panel(lambda d: d.assign(x1=float("inf"))),
    "duplicate country-years": fit_panel(lambda d: d.assign(year=1990)),
    "duplicate country-years with lags": fit_panel(
        lambda d: d.assign(year=d["year"].where(d.index % 8 != 1, d["year"] - 1)),
        model={**MODEL, "lags": 1},
    ),
    "too few clusters": fit_panel(lambda d: d[d["iso3"].isin(d["iso3"].unique()[:4])]),
    "constant treatment under entity effects": fit_panel(lambda d: d.assign(treatment=1.0)),
    # a constant or collinear regressor is dropped with a note (as fixest does; see
    # test_redundant_regressors_are_dropped_with_a_note); none left to estimate is an error
    "only regressor constant pooled": fit_panel(
        lambda d: d.assign(x1=2.0),
        model={"outcome": "y", "regressors": ["x1"], "estimator": "pooled_ols"},
    ),
    "empty csv": fit_csv(""),
    "header-only csv": fit_csv("iso3,year,y,treatment,x1,x2\n"),
    "binary csv": fit_csv(b"\x00\xff\xfe\x89PNG\x00\x00"),
    "latin-1 csv": fit_csv("iso3,year,y\ncaf\xe9,1,2\n".encode("latin-1")),
    "ragged csv": fit_csv('iso3,year\n"a,1\n'),
    "parquet that is not": lambda tmp: (
        _raw(tmp, b"not parquet", "x.parquet"),
        fit(tmp, data={"source": "x.parquet"}),
    )[1],
    # ---- options of fit
    "fit --out is a file": lambda tmp: [*fit(tmp)[:-1], _raw(tmp, "x", "afile")],
    "fit --mirror is a file": lambda tmp: [*fit(tmp), "--mirror", _raw(tmp, "x", "afile")],
    "fit missing argument": plain("fit"),
    "fit unknown option": lambda tmp: [*fit(tmp), "--bogus"],
    "fit --out without value": lambda tmp: [*fit(tmp)[:2], "--out"],
    # ---- robustness
    "robustness no --out": lambda tmp: ["robustness", _spec(tmp)],
    "robustness --chunk-size 0": rob(None, "--chunk-size", "0"),
    "robustness --chunk-size x": rob(None, "--chunk-size", "x"),
    "robustness --workers 0": rob(None, "--workers", "0"),
    "robustness --executor foo": rob(None, "--executor", "foo"),
    "robustness --scheduler without dask": rob(None, "--scheduler", "tcp://x:1"),
    "robustness --resume fresh": rob(None, "--resume"),
    "robustness --memory-limit 0": rob(None, "--memory-limit", "0"),
    "robustness --out is a file": lambda tmp: [
        "robustness",
        _spec(tmp),
        "--out",
        _raw(tmp, "x", "afile"),
        "--no-progress",
    ],
    "robustness spec missing": plain("robustness", "{tmp}/nope.toml", "--out", "{tmp}/out"),
    "robustness binary spec": lambda tmp: [
        "robustness",
        _raw(tmp, b"\xff\x00"),
        "--out",
        str(tmp / "out"),
    ],
    "robustness unknown key": rob({"contrls": "all-subsets"}),
    "robustness controls = 5": rob({"controls": 5}),
    "robustness controls bad set": rob({"controls": [["x1", "ghost"]]}),
    "robustness outcomes = 5": rob({"outcomes": 5}),
    "robustness outcomes unknown": rob({"outcomes": ["y", "nope"]}),
    "robustness estimators unknown": rob({"estimators": ["ols"]}),
    "robustness estimators empty": rob({"estimators": []}),
    "robustness samples numbers": rob({"samples": [1]}),
    "robustness samples malformed": rob({"samples": ["every other year"]}),
    "robustness samples drop nothing": rob({"samples": ["drop:region=Atlantis"]}),
    "robustness samples outside years": rob({"samples": ["years:2050-2060"]}),
    "robustness cov unknown": rob({"cov": ["hc9"]}),
    "robustness cluster without clustered": rob({"cov": ["robust"], "cluster": ["entity"]}),
    "robustness lags negative": rob({"lags": [-1]}),
    "robustness lags strings": rob({"lags": ["1"]}),
    "robustness placebo negative": rob({"placebo": -1}),
    "robustness placebo string": rob({"placebo": "many"}),
    "robustness placebo huge": rob({"placebo": 10**12}),
    "robustness bootstrap huge": rob({"bootstrap": 10**12}),
    "robustness bootstrap weights unknown": rob({"bootstrap_weights": "gauss"}),
    "robustness level 2": rob({"level": 2}),
    "robustness seed string": rob({"seed": "x"}),
    "robustness common_sample string": rob({"common_sample": "yes"}),
    "robustness treatment also outcome": rob({"treatment": "y"}),
    "robustness hazard estimator": rob(None, model={**MODEL, "estimator": "cox"}),
    "robustness sample keeps no rows": rob(
        {"placebo": 0, "bootstrap": 0}, data={"source": "panel.csv", "sample": "year > 3000"}
    ),
    "robustness sample attack": rob(
        None, data={"source": "panel.csv", "sample": "__import__('os').getcwd()"}
    ),
    "robustness regressors = 5": rob(None, model={**MODEL, "regressors": 5}),
    "robustness every specification fails": lambda tmp: (
        _panel_with(tmp, lambda d: d.assign(treatment=d["iso3"].map(hash) % 7 * 1.0)),
        rob({"placebo": 0, "bootstrap": 0, "estimators": ["entity"]})(tmp),
    )[1],
    # ---- solve
    "solve unknown game": plain("solve", "no_such_game"),
    "solve no name": plain("solve"),
    "solve --set without =": plain("solve", "stag_hunt", "--set", "stag"),
    "solve --set text": plain("solve", "stag_hunt", "--set", "stag=abc"),
    "solve --set nan": plain("solve", "stag_hunt", "--set", "stag=nan"),
    "solve --set inf": plain("solve", "stag_hunt", "--set", "stag=inf"),
    "solve --set huge": plain("solve", "stag_hunt", "--set", "stag=1e308", "--set", "hare=-1e308"),
    "solve --set unknown key": plain("solve", "stag_hunt", "--set", "stagg=3"),
    "solve --instrument unknown": plain("solve", "stag_hunt", "--instrument", "bribe:size=1"),
    "solve --instrument no value": plain("solve", "stag_hunt", "--instrument", "sanction:size"),
    "solve --instrument bad field": plain("solve", "stag_hunt", "--instrument", "sanction:foo=1"),
    "solve --instrument out of bounds": plain(
        "solve", "stag_hunt", "--instrument", "sanction:probability=2"
    ),
    "solve --instrument text": plain("solve", "stag_hunt", "--instrument", "sanction:size=big"),
    "solve --file missing": plain("solve", "--file", "{tmp}/nope.toml"),
    "solve --file wrong suffix": solve_file("A = 1", "game.yaml"),
    "solve --file invalid toml": solve_file("A = [[1, 2]"),
    "solve --file binary": solve_file(b"\xff\xfe\x00"),
    "solve --file invalid json": solve_file("{", "game.json"),
    "solve --file json list": solve_file("[1, 2]", "game.json"),
    "solve --file A without B": solve_file("A = [[1, 0], [0, 1]]\n"),
    "solve --file text payoffs": solve_file('A = [["a", 0], [0, 1]]\nB = [[1, 0], [0, 1]]\n'),
    "solve --file ragged payoffs": solve_file("A = [[1, 0], [0]]\nB = [[1, 0], [0, 1]]\n"),
    "solve --file instruments not list": solve_file(
        'family = "stag_hunt"\ninstruments = 5\n[params]\nstag = 4\n'
    ),
    "solve --file params not table": solve_file('family = "stag_hunt"\nparams = 5\n'),
    "solve --file no game": solve_file("x = 1\n"),
    "solve --file with --set": lambda tmp: [
        "solve",
        "--file",
        _raw(tmp, 'family = "stag_hunt"\n', "g.toml"),
        "--set",
        "stag=1",
    ],
    "solve --file is a folder": plain("solve", "--file", "{tmp}"),
    "solve --method unknown": plain("solve", "stag_hunt", "--method", "magic"),
    # ---- sweep
    "sweep no grid": plain("sweep", "stag_hunt", "--out", "{tmp}/out"),
    "sweep no out": plain("sweep", "stag_hunt", "--grid", "stag=1:2:3"),
    "sweep grid no =": plain("sweep", "stag_hunt", "--grid", "stag", "--out", "{tmp}/out"),
    "sweep grid two colons": plain("sweep", "stag_hunt", "--grid", "stag=1:2", "--out", "{tmp}/o"),
    "sweep grid n=0": plain("sweep", "stag_hunt", "--grid", "stag=1:2:0", "--out", "{tmp}/out"),
    "sweep grid n text": plain("sweep", "stag_hunt", "--grid", "stag=1:2:x", "--out", "{tmp}/o"),
    "sweep grid bound text": plain(
        "sweep", "stag_hunt", "--grid", "stag=a:2:3", "--out", "{tmp}/o"
    ),
    "sweep grid bound nan": plain(
        "sweep", "stag_hunt", "--grid", "stag=nan:2:3", "--out", "{tmp}/o"
    ),
    "sweep grid value text": plain("sweep", "stag_hunt", "--grid", "stag=1,x", "--out", "{tmp}/o"),
    "sweep grid 10^10": plain(
        "sweep", "stag_hunt", "--grid", "stag=1:2:10000000000", "--out", "{tmp}/out"
    ),
    "sweep grid 10^8 product": plain(
        "sweep",
        "stag_hunt",
        "--grid",
        "stag=1:2:10000",
        "--grid",
        "hare=0:1:10000",
        "--out",
        "{tmp}/out",
    ),
    "sweep large without --yes": plain(
        "sweep",
        "stag_hunt",
        "--grid",
        "stag=1:2:2000",
        "--grid",
        "hare=0:1:200",
        "--out",
        "{tmp}/out",
    ),
    "sweep unknown key": plain("sweep", "stag_hunt", "--grid", "foo=1:2:3", "--out", "{tmp}/out"),
    "sweep unknown game": plain("sweep", "nope", "--grid", "stag=1:2:3", "--out", "{tmp}/out"),
    "sweep --format xml": plain(
        "sweep", "stag_hunt", "--grid", "stag=1:2:3", "--out", "{tmp}/out", "--format", "xml"
    ),
    "sweep --out is a file": lambda tmp: [
        "sweep",
        "stag_hunt",
        "--grid",
        "stag=1:2:3",
        "--out",
        _raw(tmp, "x", "afile"),
    ],
    "sweep --set text": plain(
        "sweep", "stag_hunt", "--grid", "stag=1:2:3", "--set", "hare=x", "--out", "{tmp}/out"
    ),
    "sweep --instrument unknown": plain(
        "sweep", "stag_hunt", "--grid", "stag=1:2:3", "--instrument", "x:y=1", "--out", "{tmp}/o"
    ),
    # ---- data
    "data fetch unknown": plain("data", "fetch", "no_such_file"),
    "data fetch nothing": plain("data", "fetch"),
    "data fetch --mirror file": lambda tmp: [
        "data",
        "fetch",
        "ciri",
        "--mirror",
        _raw(tmp, "x", "afile"),
    ],
    "data verify --mirror file": lambda tmp: ["data", "verify", "--mirror", _raw(tmp, "x", "f")],
    "data unknown subcommand": plain("data", "frobnicate"),
    # ---- paper
    "paper build missing folder": plain("paper", "build", "{tmp}/nope"),
    "paper build unknown paper": lambda tmp: ["paper", "build", str(tmp), "--paper", "nope"],
    "paper build bad --param": lambda tmp: ["paper", "build", str(tmp), "--param", "1x=2"],
    "paper build non-UTF-8 notebook": _latin1_notebook,
    "paper build invalid notebook header": _bad_header_notebook,
    "paper build --timeout text": plain("paper", "build", "{tmp}", "--timeout", "soon"),
    # ---- the top level
    "unknown command": plain("frobnicate"),
    "unknown top option": plain("--frobnicate"),
}
if os.geteuid() != 0:  # root ignores permissions
    CASES["fit --out read-only"] = _read_only


def _files(root: Path, skip: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for path in root.rglob("*"):
        if path.is_file() and skip not in path.parents:
            st = path.stat()
            out[str(path.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out


def _check(result, tmp: Path, before: dict) -> None:
    output = result.output
    assert "Traceback" not in output, output
    assert result.exit_code == 2, (result.exit_code, output, result.exception)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], result.stderr
    assert "\n" not in errors[0]
    assert _files(tmp, tmp / "out") == before, "a file outside --out changed"
    out = tmp / "out"
    if out.exists():
        leftovers = [p.name for p in out.rglob("*") if p.name.endswith(".part")]
        assert not leftovers and not (out / ".robustness").exists(), sorted(out.rglob("*"))
        assert not (out / "sweep.csv").exists()


def _prepare(tmp: Path, data_csv: Path) -> None:
    (tmp / "panel.csv").write_bytes(data_csv.read_bytes())


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_one_error_line(case: str, tmp_path: Path, data_csv: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _prepare(tmp_path, data_csv)
    args = CASES[case](tmp_path)
    before = _files(tmp_path, tmp_path / "out")
    result = runner.invoke(app, args)
    _check(result, tmp_path, before)


# ---------------------------------------------------------------------------- attacks

CANARY = "canary-was-created"
ATTACKS = [
    # pandas' query engine resolved these to os.system
    "@self.replace.__func__.__globals__['os'].system('touch {canary}')",
    "@pd.io.common.os.system('touch {canary}')",
    "year > 0 and @os.system('touch {canary}')",
    # attribute access and dunders
    "year.__class__.__mro__[1].__subclasses__()",
    "year.__class__ == 1",
    "().__class__.__base__.__subclasses__()",
    "year.values.tofile('{canary}')",
    "iso3.str.len() > 2",
    "__builtins__",
    "__import__('os').system('touch {canary}')",
    "_ > 1",
    # calls
    "open('{canary}', 'w')",
    'exec(\'open("{canary}", "w")\')',
    "eval('1')",
    "getattr(year, 'tofile')('{canary}')",
    "isna(open('{canary}', 'w'))",
    "isna(year, iso3)",
    "notna(year.values)",
    # imports and statements
    "import os",
    "year > 1; __import__('os')",
    "year > 1\nimport os",
    "(lambda: __import__('os').system('touch {canary}'))()",
    "[c for c in ().__class__.__bases__]",
    "{{k: 1 for k in year}}",
    "(x := 1)",
    "year if open('{canary}', 'w') else year",
    # string tricks
    'f\'{{open("{canary}", "w")}}\' == iso3',
    "iso3 == 'a'.join(['b'])",
    "`year`.__class__",
    "iso3 == '\\x5f\\x5fimport\\x5f\\x5f'.__len__()",
    "year[0] > 1",
    "year[::-1] > 1",
    "b'x' == iso3",
    # resource exhaustion
    "year ** 10 ** 10 > 1",
    "2 ** 2 ** 100 > year",
    "9" * 5000 + " > year",
    "(" * 300 + "year" + ")" * 300 + " > 1",
    "-" * 1000 + "year > 1",
    "year > 1 and " * 400 + "year > 1",
]


@pytest.mark.parametrize("command", ["fit", "robustness"])
@pytest.mark.parametrize("attack", ATTACKS, ids=range(len(ATTACKS)))
def test_attack_corpus_executes_nothing(
    command: str, attack: str, tmp_path: Path, data_csv: Path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    _prepare(tmp_path, data_csv)
    canary = tmp_path / CANARY
    sample = attack.format(canary=canary)
    spec = _spec(tmp_path, data={"source": "panel.csv", "sample": sample})
    args = [command, spec, "--out", str(tmp_path / "out")]
    before = _files(tmp_path, tmp_path / "out")
    result = runner.invoke(app, args + (["--no-progress"] if command == "robustness" else []))
    assert not canary.exists()
    _check(result, tmp_path, before)
    assert "data.sample" in result.stderr


def test_usage_error_is_one_line_through_the_console_script(tmp_path: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "enforcement_lab.cli", "robustness", "x.toml", "--chunk-size", "0"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert proc.stderr.startswith("error: ") and "--chunk-size" in proc.stderr


def test_a_bug_prints_its_traceback_and_asks_for_a_report(monkeypatch) -> None:
    import enforcement_lab.cli.solve

    def broken(*args, **kwargs):
        raise KeyError("internal")

    monkeypatch.setattr(enforcement_lab.cli.solve, "_solve", broken)
    result = runner.invoke(app, ["solve", "stag_hunt"])
    assert result.exit_code == 1
    assert "Traceback" in result.stderr and "KeyError" in result.stderr
    assert "please report it" in result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "change,regressors,note",
    [
        (lambda d: d.assign(x1=2.0), ["treatment", "x1"], "x1 dropped: constant"),
        (lambda d: d.assign(x2=2 * d["x1"]), ["treatment", "x1", "x2"], "x2 dropped: collinear"),
    ],
)
def test_redundant_regressors_are_dropped_with_a_note(
    change, regressors, note, tmp_path: Path, data_csv: Path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    _prepare(tmp_path, data_csv)
    _panel_with(tmp_path, change)
    model = {"outcome": "y", "regressors": regressors, "estimator": "pooled_ols"}
    result = runner.invoke(app, fit(tmp_path, model=model))
    assert result.exit_code == 0, result.output
    assert note in result.output and "Traceback" not in result.output
