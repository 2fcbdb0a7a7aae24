"""AWS Lambda entry point for Leg Cramp Helper: lambda_function.lambda_handler."""

import os

from cramp_helper.skill import lambda_handler, prime_for_snapshot

if os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start":
    prime_for_snapshot()

__all__ = ["lambda_handler"]
