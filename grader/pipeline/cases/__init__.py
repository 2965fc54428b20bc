"""Hidden test cases per notebook: inputs, the engine's answers, known mistakes.

Each module has ``cases() -> {function: [case, ...]}`` built with
``grader.pipeline.oracle.case``, from a fixed seed, so every build is identical.
"""
