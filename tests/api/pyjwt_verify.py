# Verifies an upstream JWT the way a third-party service would: PyJWT, with the key
# taken from barong's JWKS by the token's kid. Prints the claims as JSON.
# Usage: python3 pyjwt_verify.py <jwks url> <token>
import json
import sys
import urllib.request

import jwt

jwks_url, token = sys.argv[1], sys.argv[2]
with urllib.request.urlopen(jwks_url) as response:
    jwks = json.load(response)
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
