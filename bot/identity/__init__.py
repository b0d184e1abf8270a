"""Who the customer is (``customer-identity.md``): a sender id is a chat window, not a person.

The shop proves a customer with a signed token (``tokens.py``); channels put
the verified identity into the message's metadata under :data:`METADATA_KEY`
(after removing anything a client sent under that key), and the actions
answer personal questions only for it.  No identity: a guest.
"""

from bot.identity.tokens import (
    METADATA_KEY, CustomerIdentity, TokenRejected, identity_in_metadata, sign_customer_token, token_secret,
    verify_customer_token, with_identity,
)

__all__ = ["METADATA_KEY", "CustomerIdentity", "TokenRejected", "identity_in_metadata", "sign_customer_token",
           "token_secret", "verify_customer_token", "with_identity"]
