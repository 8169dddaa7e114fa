"""Accounts: users and roles, the network's charter, personal-data export and deletion."""
