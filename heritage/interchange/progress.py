"""A plain-text progress bar for long imports, written to the command's error stream."""

from django.core.management.base import OutputWrapper


class NullProgress:
    """No progress shown: for tests, small files and ``--verbosity 0``."""

    def start(self, total, label):
        pass

    def advance(self, step=1):
        pass

    def finish(self):
        pass


class TextProgress(NullProgress):
    """``Checking [#########.........]  45%  1350/3000``, redrawn in place on a terminal.

    Shown only for files of at least ``minimum`` entries; elsewhere than a terminal (a log file,
    a cron mail) it writes one line per tenth instead of redrawing.
    """

    def __init__(self, stream, *, minimum=200, width=30):
        self.stream = stream
        self.minimum = minimum
        self.width = width
        self.enabled = False
        self.total = self.done = self.shown = 0
        self.label = ""

    def start(self, total, label):
        self.total, self.done, self.shown, self.label = total, 0, -1, label
        self.enabled = total >= self.minimum
        self._draw()

    def advance(self, step=1):
        self.done = min(self.done + step, self.total)
        self._draw()

    def finish(self):
        if self.enabled:
            self.done = self.total
            self._draw()
            if self._is_terminal():
                self._write("\n")
        self.enabled = False

    def _is_terminal(self):
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty())

    def _draw(self):
        if not self.enabled:
            return
        percent = self.done * 100 // self.total if self.total else 100
        terminal = self._is_terminal()
        shown = percent if terminal else percent // 10 * 10
        if shown == self.shown:
            return
        self.shown = shown
        filled = self.width * percent // 100
        bar = f"{self.label:<9} [{'#' * filled}{'.' * (self.width - filled)}] {percent:3d}%  {self.done}/{self.total}"
        self._write("\r" + bar if terminal else bar + "\n")

    def _write(self, text):
        if isinstance(self.stream, OutputWrapper):
            self.stream.write(text, ending="")  # its default ending would break the redraw
        else:
            self.stream.write(text)
        self.stream.flush()
