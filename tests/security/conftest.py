def pytest_terminal_summary(terminalreporter):
    """The issue note reports how many hostile inputs were tried."""
    from tests.security.hostile import COUNTER

    if COUNTER.requests:
        terminalreporter.write_line(f"hostile input: {COUNTER.summary()}")
