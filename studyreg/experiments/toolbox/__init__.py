"""The toolbox the built-in experiments are made of: reusable, tested numerics.

- ``datasets``: seeded synthetic data sets and splits.
- ``linear``, ``coordinate_descent``, ``homotopy``: ridge, lasso and elastic-net solvers
  and their regularization paths.
- ``mlp``, ``cnn``: small networks (forward, loss, gradients, dropout masks).
- ``optim``: SGD and Adam with decoupled weight decay.
- ``training``: full-batch training of stacked classifiers with learning curves.
- ``variants``: train the same networks in several variants (e.g. with and without
  dropout) from the same start, on the same data.

Each experiment (one module per experiment in ``studyreg.experiments``) composes these;
none of them knows the experiment registry. Importing this package imports nothing.
"""
