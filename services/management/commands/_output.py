from django.core.management.base import BaseCommand, CommandError


def write_output(command: BaseCommand, text: str, output: str | None) -> None:
    """Write a command's result to a file, or to standard output without one."""
    if not output:
        command.stdout.write(text)
        return
    try:
        with open(output, "w", encoding="utf-8") as file:
            file.write(text)
    except OSError as error:
        raise CommandError(f"Could not write {output}: {error}") from error
    command.stderr.write(f"Wrote {output}.")
