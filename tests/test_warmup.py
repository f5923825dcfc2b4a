"""The gunicorn master's warm-up before forking (deploy/gunicorn.conf.py)."""

from chibo.warmup import warm_up


def test_warm_up_compiles_every_template_without_touching_the_database():
    # pytest-django refuses database access here: the warm-up opens no connection that the
    # forked workers would share.
    compiled = warm_up()
    assert compiled > 150  # the project's templates, crispy-bootstrap5's and Django's form widgets


def test_gunicorn_config_preloads_and_warms_up():
    import runpy

    config = runpy.run_path("deploy/gunicorn.conf.py")
    assert config["preload_app"] is True
    assert callable(config["when_ready"])
