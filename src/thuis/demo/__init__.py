"""The demo and seed app: synthetic data for the demo, the tests and benchmarks.

Installed by the development and test settings only (conf/dev.py, conf/test.py), never in
production. It sits on top of the layers and writes through the other apps' services
(`thuis seed`, `thuis demo_logins`, the DUO simulator's demo source); docs/architecture.md lists
where it still writes rows directly.
"""
