from nntrace.cli import main

main(prog_name="nntrace")
