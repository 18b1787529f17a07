"""Reaching residents without smartphones: pure rules for SMS and voice check-ins and roll-calls.

``rules`` (phones, quiet hours, limits, answers, board colours), ``signing`` (the providers'
request signatures and our callback signature), ``callbacks`` (provider callback bodies to
events), ``cap`` (GB/T 35965 CAP-like warnings). No Django here.
"""
