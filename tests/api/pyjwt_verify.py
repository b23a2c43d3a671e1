# Verifies an upstream JWT the way a third-party service would: PyJWT, with the key
# taken from barong's JWKS (as served at /.well-known/jwks.json, saved to a file by
# the test) by the token's kid. Prints the claims as JSON.
# Usage: python3 pyjwt_verify.py <jwks.json file> <token>
import json
import sys

import jwt

jwks_file, token = sys.argv[1], sys.argv[2]
with open(jwks_file, encoding="utf-8") as f:
    jwks = json.load(f)
kid = jwt.get_unverified_header(token)["kid"]
jwk = next(k for k in jwks["keys"] if k["kid"] == kid)
key = jwt.PyJWK(jwk)
claims = jwt.decode(
    token,
    key.key,
    algorithms=[jwk["alg"]],
    audience="peatio",
    issuer="barong",
    options={"require": ["exp", "iat", "sub", "iss", "aud", "jti"]},
)
print(json.dumps(claims))
