"""Flags every command shares (``--project``, ``--json``, ``--device``) and choices from core."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from app.cli import build_parser

DEVICE_COMMANDS = [
    ["restore", "--project", "p", "--method", "gamma", "1"],
    ["iterate", "--project", "p", "--editor", "gamma", "--steps", "1", "1"],
    ["judge", "rs", "--project", "p", "1"],
    ["score", "--metrics", "psnr", "a.png"],
    ["gaps", "--project", "p", "--runs", "a", "--metrics", "psnr"],
    ["stats", "friedman", "--project", "p", "--runs", "a", "--metrics", "psnr"],
    ["score", "--dataset", "d", "--out", "r.csv", "--metrics", "psnr"],
]


def command_id(args: list[str]) -> str:
    return "-".join(word for word in args[:2] if not word.startswith("-"))


def subcommand_parsers(parser: argparse.ArgumentParser, prefix=()):
    """(command words, parser) of every leaf command under ``parser``."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += subcommand_parsers(sub, (*prefix, name))
    return found or [(prefix, parser)]


@pytest.mark.parametrize("args", DEVICE_COMMANDS, ids=command_id)
@pytest.mark.parametrize("device", ["auto", "cpu", "cuda", "cuda:1"])
def test_every_device_flag_takes_auto_cpu_cuda_and_cuda_n(args, device):
    assert build_parser().parse_args([*args, "--device", device]).device == device


@pytest.mark.parametrize("args", DEVICE_COMMANDS, ids=command_id)
def test_every_device_flag_refuses_the_same_way(args, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args([*args, "--device", "tpu"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and err.count("\n") == 1
    assert err.startswith("iris: error: argument --device: unknown device 'tpu' (auto, cpu, ")


def test_project_and_json_flags_are_spelled_alike_everywhere():
    projects = jsons = 0
    for words, parser in subcommand_parsers(build_parser()):
        for action in parser._actions:
            if "--project" in action.option_strings:
                projects += 1
                assert action.metavar == "DIR" and action.dest == "project", words
            if "--json" in action.option_strings:
                jsons += 1
                assert isinstance(action, argparse._StoreTrueAction), words
    assert projects >= 16 and jsons >= 14


def test_choice_lists_come_from_core():
    from core.annotations.exchange import FORMATS
    from core.dataset.engines import ENGINES
    from core.iterate.schedules import IMAGE_SIZES, SCHEDULES

    parsers = dict(subcommand_parsers(build_parser()))
    choices = {
        (words, action.dest): list(action.choices)
        for words, parser in parsers.items()
        for action in parser._actions
        if action.choices is not None and not isinstance(action, argparse._SubParsersAction)
    }
    assert choices[("iterate",), "image_size"] == list(IMAGE_SIZES)
    assert choices[("annotations", "export"), "format"] == list(FORMATS)
    assert choices[("score",), "engine"] == ENGINES.names()
    schedule = next(a for a in parsers[("iterate",)]._actions if a.dest == "schedule")
    assert all(name in schedule.help for name in SCHEDULES)


def test_building_the_parser_imports_no_core_list_it_does_not_need():
    code = (
        "import sys\nfrom app.cli import build_parser\nbuild_parser()\n"
        "print(sorted(m for m in ('core.dataset', 'core.annotations', 'core.project', "
        "'core.methods') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_choice_from_core_is_checked_as_before(capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["score", "--dataset", "d", "--engine", "spark"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert "argument --engine: invalid choice: 'spark' (choose from 'local', 'ray')" in err
