from integraph.cli.main import run

run()
