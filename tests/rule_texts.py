"""Rule files the tests write into rules folders, shared so that one text serves them all."""

#: A user rule with a safe fix: "utilize" becomes "use".
UTILIZE = """code: XX101
name: utilize
severity: warning
summary: Prefer "use" to "utilize".
message: Say "use" instead of "{match.text}".
rationale: Plain words read faster.
match: {kind: regex, pattern: '\\butili[sz]e\\b'}
suggestion: {title: Say "use", replace_with: use, applicability: safe}
examples:
  - flag: Please utilize the helper.
    fixed: Please use the helper.
  - pass: Please use the helper.
"""
