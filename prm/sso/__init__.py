"""Single sign-on per tenant: identity providers (OIDC, SAML 2.0) a tenant admin configures, and the
just-in-time provisioning of the people they sign in (``provisioning.sign_in``)."""
