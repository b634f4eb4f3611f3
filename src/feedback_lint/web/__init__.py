"""The parts of the HTTP service (``feedback-lint serve``; the face is :mod:`feedback_lint.server`).

- :mod:`.service`: the linters of a running service and the worker that runs them;
- :mod:`.requests`: what a request may ask, validated into linter options;
- :mod:`.transport`: the HTTP plumbing around the routes (body limits, host
  names, uvicorn's protocol and shutdown).
"""
