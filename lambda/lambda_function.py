"""AWS Lambda entry point for Leg Cramp Helper: lambda_function.lambda_handler."""

from cramp_helper.skill import lambda_handler

__all__ = ["lambda_handler"]
