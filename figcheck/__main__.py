from figcheck.cli import command_line

command_line()
