"""Puts 1 MiB of random bytes into a new bucket with boto3, reads it back and deletes both.

Usage: python3 boto3_smoke.py ENDPOINT BUCKET. Credentials, CA bundle and proxy come from the environment.
Prints the SHA-256 of what was sent and of what came back.
"""
import hashlib
import os
import sys

import boto3
from botocore.config import Config

endpoint, bucket = sys.argv[1], sys.argv[2]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
sent = os.urandom(1024 * 1024)
s3.create_bucket(Bucket=bucket)
s3.put_object(Bucket=bucket, Key="smoke.bin", Body=sent)
received = s3.get_object(Bucket=bucket, Key="smoke.bin")["Body"].read()
s3.delete_object(Bucket=bucket, Key="smoke.bin")
s3.delete_bucket(Bucket=bucket)
print("sent", hashlib.sha256(sent).hexdigest())
print("got", hashlib.sha256(received).hexdigest())
