"""Shared ground: base templates, navigation, audit log, e-mail through tasks, text helpers."""
