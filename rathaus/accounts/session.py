"""The keys Rathaus keeps in a logged-in session. Only this app writes them; others read through selectors."""

KIND = "rathaus_login_kind"  # "citizen" or "staff": the two logins never mix
TRUST_LEVEL = "rathaus_trust_level"  # niedrig / substanziell / hoch of the citizen's current login
METHOD = "rathaus_login_method"  # "password", "oidc" (citizens), "password_totp" (staff)
PROVIDER = "rathaus_login_provider"  # slug of the identity provider of an OIDC login
STAFF_PENDING = "rathaus_staff_pending"  # staff member who passed the password step, before the code
OIDC_FLOWS = "rathaus_oidc_flows"  # state -> nonce, PKCE verifier, purpose of running OIDC logins

CITIZEN = "citizen"
STAFF = "staff"
