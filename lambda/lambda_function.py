"""AWS Lambda entry point for Leg Cramp Helper: lambda_function.lambda_handler."""

import gc
import os

from cramp_helper.skill import lambda_handler, prime_for_snapshot

if os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start":
    prime_for_snapshot()

# What was made at start (the modules, ask-sdk's and ours, the dialogue table) lives as long as the
# container: moved out of the collector's reach, no later collection scans it again, neither the
# many during the first request's imports (boto3) nor those of every warm request (issue 20).
gc.freeze()

__all__ = ["lambda_handler"]
