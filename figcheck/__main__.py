from figcheck.program import run

run()
