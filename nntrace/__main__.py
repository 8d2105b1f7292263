"""`python -m nntrace` and the `nntrace` console script.

`nntrace --version` is answered here, before the command line is imported: importing click alone
costs about 0.3 of the start-up of numpy, rich, click and yaml together. Every other command line
goes to click (nntrace.cli), which prints the same version line for `--version` among other options.
The process is one batch for the garbage collector (common.collection.for_a_process) from before
its first import, and what it holds when its command is done is left to the exit
(common.collection.at_the_end), not walked by the collector once more.
"""

import sys

VERSION_ONLY = (["--version"], ["-V"])


def main() -> None:
    if sys.argv[1:] in VERSION_ONLY:
        from nntrace import __version__

        try:
            sys.stdout.write(f"nntrace, version {__version__}\n")
            sys.stdout.flush()
        except BrokenPipeError:  # the reader went away, as for shell tools
            sys.exit(141)
        return
    from nntrace.common.collection import at_the_end, for_a_process

    for_a_process()  # before the imports: they make most of what the process holds
    from nntrace.cli import main as command_line

    try:
        command_line(prog_name="nntrace")  # (click exits: SystemExit, with the command's exit code)
    finally:
        at_the_end()


if __name__ == "__main__":
    main()
