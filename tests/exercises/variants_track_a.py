# ruff: noqa: E501  (the variants are student code, kept as a student would write it)
"""Alternative solutions for the graded exercises of notebooks 01-07.

For every exercise: two correct solutions written differently from the instructor's
(other formulas, other valid layer choices, metrics or losses as objects) and two
plausible wrong ones (common student bugs). ``run_suite.py`` builds one submission
per variant set from ``solutions/`` (every other exercise keeps the reference
solution), grades it with ``course grade`` exactly as a student's submission, and
compares the points with ``EXPECTED``: a correct variant gets the exercise's points,
a wrong one gets 0 for that exercise.

Each variant maps a *solution cell's* ``grade_id`` to the cell's full new source.
"""

from __future__ import annotations

VARIANTS: dict[str, dict[str, dict[str, str]]] = {}

# ---------------------------------------------------------------------- 01
VARIANTS["01_neurons_and_perceptrons"] = {
    "alt1": {
        "ex1-sigmoid": '''def sigmoid(z):
    # the numerically stable form: exp(-log(1 + e^-z))
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s - s**2
''',
        "ex2-perceptron": '''def perceptron_update(w, b, x, y, learning_rate=0.1):
    y_hat = int(np.dot(w, x) + b > 0)
    step = learning_rate * (y - y_hat)
    return np.array(w, dtype=float) + step * np.array(x, dtype=float), b + step
''',
        "ex3-xor": '''xor_model = keras.Sequential([
    keras.Input(shape=(2,)),
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dense(1, activation="sigmoid"),
])
xor_model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05),
                  loss=keras.losses.BinaryCrossentropy(), metrics=["accuracy"])
xor_model.fit(x_xor, y_xor, epochs=400, batch_size=4, verbose=0)
''',
    },
    "alt2": {
        "ex1-sigmoid": '''def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return 0.5 * (1.0 + np.tanh(z / 2.0))


def sigmoid_derivative(z):
    return 0.25 / np.cosh(np.asarray(z, dtype=float) / 2.0) ** 2
''',
        "ex2-perceptron": '''def perceptron_update(w, b, x, y, learning_rate=0.1):
    error = y - np.heaviside(np.dot(w, x) + b, 0.0)
    return w + learning_rate * error * np.asarray(x), float(b + learning_rate * error)
''',
        "ex3-xor": '''xor_model = keras.Sequential()
xor_model.add(keras.Input(shape=(2,)))
xor_model.add(keras.layers.Dense(8, activation="tanh"))
xor_model.add(keras.layers.Dense(1, activation="sigmoid"))
xor_model.compile(optimizer="adam", loss="binary_crossentropy",
                  metrics=[keras.metrics.BinaryAccuracy(), keras.metrics.AUC()])
xor_model.optimizer.learning_rate = 0.05
xor_model.fit(x_xor, y_xor, epochs=500, batch_size=4, verbose=0)
''',
    },
    "wrong1": {
        "ex1-sigmoid": '''def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def sigmoid_derivative(z):
    return sigmoid(z) * (1.0 - np.asarray(z, dtype=float))   # bug: (1 - z) instead of (1 - s)
''',
        "ex2-perceptron": '''def perceptron_update(w, b, x, y, learning_rate=0.1):
    y_hat = 1 if w @ x + b > 0 else 0
    w += learning_rate * (y - y_hat) * x          # bug: changes the caller's array
    return w, b + learning_rate * (y - y_hat)
''',
        "ex3-xor": '''xor_model = keras.Sequential([                   # bug: no hidden layer
    keras.Input(shape=(2,)),
    keras.layers.Dense(1, activation="sigmoid"),
])
xor_model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
xor_model.fit(x_xor, y_xor, epochs=300, batch_size=4, verbose=0)
''',
    },
    "wrong2": {
        "ex1-sigmoid": '''def sigmoid(z):
    return 1.0 / (1.0 + np.exp(np.asarray(z, dtype=float)))   # bug: sign


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1.0 - s)
''',
        "ex2-perceptron": '''def perceptron_update(w, b, x, y, learning_rate=0.1):
    y_hat = 1 if np.dot(w, x) + b >= 0 else 0       # bug: z = 0 counts as 1
    delta = learning_rate * (y - y_hat)
    return np.asarray(w, dtype=float) + delta * np.asarray(x, dtype=float), b + delta
''',
        "ex3-xor": '''xor_model = keras.Sequential([
    keras.Input(shape=(2,)),
    keras.layers.Dense(8),                          # bug: no activation, the net stays linear
    keras.layers.Dense(1, activation="sigmoid"),
])
xor_model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
xor_model.fit(x_xor, y_xor, epochs=300, batch_size=4, verbose=0)
''',
    },
}

# ---------------------------------------------------------------------- 02
VARIANTS["02_losses_and_gradient_descent"] = {
    "alt1": {
        "ex1-mse": '''def mse_loss(y_true, y_pred):
    r = np.array(y_pred, dtype=float) - np.array(y_true, dtype=float)
    return float((r**2).sum() / r.size)


def mse_gradient(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    return 2 * (y_pred - y_true) / len(y_true)
''',
        "ex2-gd-step": '''def gd_step(w, b, x, y, learning_rate):
    residual = (w * x + b) - y
    grad_w = np.mean(2 * residual * x)
    grad_b = np.mean(2 * residual)
    return float(w - learning_rate * grad_w), float(b - learning_rate * grad_b)
''',
        "ex3-backprop": '''def backprop_relu_mse(X, y, W1, b1, W2, b2):
    n = X.shape[0]
    Z1 = X @ W1 + b1
    H = np.where(Z1 > 0, Z1, 0.0)
    delta_out = (2.0 / n) * (H @ W2 + b2 - y)
    delta_hidden = np.where(Z1 > 0, delta_out @ W2.T, 0.0)
    return {"W1": X.T @ delta_hidden, "b1": np.sum(delta_hidden, axis=0),
            "W2": H.T @ delta_out, "b2": np.sum(delta_out, axis=0)}
''',
    },
    "alt2": {
        "ex1-mse": '''def mse_loss(y_true, y_pred):
    return float(np.square(np.subtract(y_true, y_pred)).mean())


def mse_gradient(y_true, y_pred):
    diff = np.subtract(y_true, y_pred, dtype=float)
    return -2.0 * diff / diff.size
''',
        "ex2-gd-step": '''def gd_step(w, b, x, y, learning_rate):
    n = len(x)
    grad_w = sum(2 * (w * xi + b - yi) * xi for xi, yi in zip(x, y)) / n
    grad_b = sum(2 * (w * xi + b - yi) for xi, yi in zip(x, y)) / n
    return float(w - learning_rate * grad_w), float(b - learning_rate * grad_b)
''',
        "ex3-backprop": '''def backprop_relu_mse(X, y, W1, b1, W2, b2):
    Z1 = np.einsum("nd,dh->nh", X, W1) + b1
    H = np.maximum(Z1, 0)
    d_yhat = 2 * (H @ W2 + b2 - y) / len(y)
    d_Z1 = (d_yhat @ W2.T) * (Z1 > 0).astype(float)
    grads = {}
    grads["W2"] = np.einsum("nh,no->ho", H, d_yhat)
    grads["b2"] = d_yhat.sum(0)
    grads["W1"] = np.einsum("nd,nh->dh", X, d_Z1)
    grads["b1"] = d_Z1.sum(0)
    return grads
''',
    },
    "wrong1": {
        "ex1-mse": '''def mse_loss(y_true, y_pred):
    return float(np.mean((np.asarray(y_pred) - np.asarray(y_true)) ** 2))


def mse_gradient(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    return (y_pred - y_true) / y_pred.size            # bug: the factor 2 is missing
''',
        "ex2-gd-step": '''def gd_step(w, b, x, y, learning_rate):
    error = w * x + b - y
    grad_w = 2.0 * np.mean(error * x)
    grad_b = 2.0 * np.mean(error)
    return float(w + learning_rate * grad_w), float(b + learning_rate * grad_b)   # bug: uphill
''',
        "ex3-backprop": '''def backprop_relu_mse(X, y, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0.0)
    delta2 = 2.0 * (H @ W2 + b2 - y) / len(X)
    delta1 = delta2 @ W2.T                           # bug: ReLU derivative forgotten
    return {"W1": X.T @ delta1, "b1": delta1.sum(axis=0), "W2": H.T @ delta2,
            "b2": delta2.sum(axis=0)}
''',
    },
    "wrong2": {
        "ex1-mse": '''def mse_loss(y_true, y_pred):
    return float(np.sum((np.asarray(y_pred) - np.asarray(y_true)) ** 2))   # bug: sum, not mean


def mse_gradient(y_true, y_pred):
    return 2.0 * (np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float))
''',
        "ex2-gd-step": '''def gd_step(w, b, x, y, learning_rate):
    error = w * x + b - y
    grad_w = 2.0 * np.sum(error * x)                   # bug: sum instead of mean
    grad_b = 2.0 * np.sum(error)
    return float(w - learning_rate * grad_w), float(b - learning_rate * grad_b)
''',
        "ex3-backprop": '''def backprop_relu_mse(X, y, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0.0)
    delta2 = 2.0 * (H @ W2 + b2 - y)                   # bug: the 1/n of the mean is missing
    delta1 = (delta2 @ W2.T) * (Z1 > 0)
    return {"W1": X.T @ delta1, "b1": delta1.sum(axis=0), "W2": H.T @ delta2,
            "b2": delta2.sum(axis=0)}
''',
    },
}

# ---------------------------------------------------------------------- 03
VARIANTS["03_optimizers"] = {
    "alt1": {
        "ex1-momentum": '''def momentum_step(theta, velocity, grad, learning_rate, momentum=0.9):
    new_velocity = momentum * np.asarray(velocity) - learning_rate * np.asarray(grad)
    return np.asarray(theta) + new_velocity, new_velocity
''',
        "ex2-adam": '''def adam_step(theta, m, v, grad, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    # Keras' own form: both corrections folded into the step size
    m = beta_1 * m + (1 - beta_1) * grad
    v = beta_2 * v + (1 - beta_2) * np.square(grad)
    alpha = learning_rate * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    return theta - alpha * m / (np.sqrt(v) + epsilon), m, v
''',
        "ex3-decay": '''import math


def exponential_decay(step, initial_learning_rate, decay_steps, decay_rate):
    return initial_learning_rate * math.pow(decay_rate, step / decay_steps)
''',
    },
    "alt2": {
        "ex1-momentum": '''def momentum_step(theta, velocity, grad, learning_rate, momentum=0.9):
    # the slides' form, u = -v: u <- momentum u + lr g, theta <- theta - u
    u = momentum * (-np.asarray(velocity, dtype=float)) + learning_rate * np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) - u, -u
''',
        "ex2-adam": '''def adam_step(theta, m, v, grad, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    m_new = np.add(np.multiply(beta_1, m), np.multiply(1 - beta_1, grad))
    v_new = np.add(np.multiply(beta_2, v), np.multiply(1 - beta_2, np.power(grad, 2)))
    m_hat = m_new / (1 - np.power(beta_1, t))
    v_hat = v_new / (1 - np.power(beta_2, t))
    step = learning_rate * m_hat / (np.sqrt(v_hat) + epsilon)
    return theta - step, m_new, v_new
''',
        "ex3-decay": '''def exponential_decay(step, initial_learning_rate, decay_steps, decay_rate):
    return float(initial_learning_rate * np.exp(np.log(decay_rate) * step / decay_steps))
''',
    },
    "wrong1": {
        "ex1-momentum": '''def momentum_step(theta, velocity, grad, learning_rate, momentum=0.9):
    velocity = momentum * np.asarray(velocity) + learning_rate * np.asarray(grad)
    return np.asarray(theta) - velocity, velocity    # bug: returns the slides' v with Keras' sign
''',
        "ex2-adam": '''def adam_step(theta, m, v, grad, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    m = beta_1 * m + (1 - beta_1) * grad
    v = beta_2 * v + (1 - beta_2) * grad**2
    return theta - learning_rate * m / (np.sqrt(v) + epsilon), m, v   # bug: no bias correction
''',
        "ex3-decay": '''def exponential_decay(step, initial_learning_rate, decay_steps, decay_rate):
    return initial_learning_rate * decay_rate ** (step // decay_steps)   # bug: staircase
''',
    },
    "wrong2": {
        "ex1-momentum": '''def momentum_step(theta, velocity, grad, learning_rate, momentum=0.9):
    velocity = -learning_rate * np.asarray(grad)      # bug: the old velocity is forgotten
    return np.asarray(theta) + velocity, velocity
''',
        "ex2-adam": '''def adam_step(theta, m, v, grad, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    m = beta_1 * m + (1 - beta_1) * grad
    v = beta_2 * v + (1 - beta_2) * np.abs(grad)      # bug: |g| instead of g squared
    m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)
    return theta - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v
''',
        "ex3-decay": '''def exponential_decay(step, initial_learning_rate, decay_steps, decay_rate):
    return initial_learning_rate * decay_rate * step / decay_steps   # bug: not a power
''',
    },
}

# ---------------------------------------------------------------------- 04
_SMALL_MODEL_ALT1 = '''inputs = keras.Input(shape=(13,))
norm = keras.layers.Normalization()
norm.adapt(x_fit)
hidden = keras.layers.Dense(16, activation="relu")(norm(inputs))
my_model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
my_model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                 loss=keras.losses.MeanSquaredError(), metrics=[keras.metrics.MeanAbsoluteError()])
my_model.fit(x_fit, y_fit, epochs=scaled(full=120, fast=40), batch_size=16, verbose=0)
'''
_SMALL_MODEL_ALT2 = '''norm = keras.layers.Normalization(axis=-1)
norm.adapt(x_fit)
my_model = keras.Sequential([keras.Input(shape=(13,)), norm,
                             keras.layers.Dense(24, activation="relu"), keras.layers.Dense(1)])
my_model.compile(optimizer=keras.optimizers.RMSprop(0.01), loss="mean_squared_error",
                 metrics=["mae", "mse"])
my_model.fit(x_fit, y_fit, epochs=scaled(full=100, fast=40), batch_size=16, verbose=0)
'''
VARIANTS["04_regression_with_keras"] = {
    "alt1": {
        "normalize": '''def normalize(x_train, x_test):
    mean = np.mean(x_train, axis=0, keepdims=True)
    std = np.std(x_train, axis=0, keepdims=True)
    return (x_train - mean) / std, (x_test - mean) / std
''',
        "kfold": '''def kfold_split(n_samples, k, fold):
    if fold < 0 or fold >= k:
        raise ValueError(f"fold {fold} is not in range({k})")
    size = n_samples // k
    val_idx = np.arange(fold * size, (fold + 1) * size)
    train_idx = np.setdiff1d(np.arange(n_samples), val_idx)
    return train_idx, val_idx
''',
        "small-model": _SMALL_MODEL_ALT1,
    },
    "alt2": {
        "normalize": '''from sklearn.preprocessing import StandardScaler


def normalize(x_train, x_test):
    scaler = StandardScaler().fit(x_train)
    return scaler.transform(x_train), scaler.transform(x_test)
''',
        "kfold": '''def kfold_split(n_samples, k, fold):
    if fold not in range(k):
        raise ValueError("fold out of range")
    size = n_samples // k
    is_val = np.zeros(n_samples, dtype=bool)
    is_val[fold * size:(fold + 1) * size] = True
    return np.flatnonzero(~is_val), np.flatnonzero(is_val)
''',
        "small-model": _SMALL_MODEL_ALT2,
    },
    "wrong1": {
        "normalize": '''def normalize(x_train, x_test):
    # bug: the test set is normalized with its own statistics
    return ((x_train - x_train.mean(axis=0)) / x_train.std(axis=0),
            (x_test - x_test.mean(axis=0)) / x_test.std(axis=0))
''',
        "kfold": '''def kfold_split(n_samples, k, fold):
    size = n_samples // k                            # bug: no check of fold
    idx = np.arange(n_samples)
    val_idx = idx[fold * size:(fold + 1) * size]
    return np.concatenate([idx[:fold * size], idx[(fold + 1) * size:]]), val_idx
''',
        "small-model": '''my_model = keras.Sequential([                   # bug: no normalization inside the model
    keras.Input(shape=(13,)),
    keras.layers.Dense(32, activation="relu"),
    keras.layers.Dense(1),
])
my_model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
my_model.fit(x_fit, y_fit, epochs=scaled(full=100, fast=40), batch_size=32, verbose=0)
''',
    },
    "wrong2": {
        "normalize": '''def normalize(x_train, x_test):
    mean, std = x_train.mean(), x_train.std()       # bug: one mean for all features
    return (x_train - mean) / std, (x_test - mean) / std
''',
        "kfold": '''def kfold_split(n_samples, k, fold):
    if not 0 <= fold < k:
        raise ValueError(fold)
    size = n_samples // k
    idx = np.arange(n_samples)
    val_idx = idx[fold * size:(fold + 1) * size + 1]   # bug: one row too many
    train_idx = np.setdiff1d(idx, val_idx)
    return train_idx, val_idx
''',
        "small-model": '''small_normalizer = keras.layers.Normalization()
small_normalizer.adapt(x_fit)
my_model = keras.Sequential([keras.Input(shape=(13,)), small_normalizer,
                             keras.layers.Dense(32, activation="relu"), keras.layers.Dense(1)])
my_model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mae", metrics=["mae"])   # bug: MAE loss
my_model.fit(x_fit, y_fit, epochs=scaled(full=100, fast=40), batch_size=32, verbose=0)
''',
    },
}

# ---------------------------------------------------------------------- 05
VARIANTS["05_classification_with_keras"] = {
    "alt1": {
        "confusion": '''def confusion_matrix(y_true, y_pred, n_classes):
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    for t, p in zip(y_true, y_pred):
        matrix[t, p] += 1
    return matrix
''',
        "precision-recall": '''def precision_recall(cm):
    cm = np.asarray(cm, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.nan_to_num(np.diag(cm) / cm.sum(axis=0))
        recall = np.nan_to_num(np.diag(cm) / cm.sum(axis=1))
    return precision, recall
''',
        "functional": '''inp = keras.Input(shape=(28, 28))
x = keras.layers.Flatten()(inp)
x = keras.layers.Dense(64, activation="relu")(x)
x = keras.layers.Dropout(0.2)(x)
x = keras.layers.Dense(32, activation="relu")(x)
my_functional = keras.Model(inputs=inp, outputs=keras.layers.Dense(10, activation="softmax")(x))
my_functional.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                      metrics=[keras.metrics.SparseCategoricalAccuracy(), "sparse_categorical_crossentropy"])
my_functional.fit(fx_train, fy_train, epochs=scaled(full=10, fast=3), batch_size=128, verbose=0)
''',
    },
    "alt2": {
        "confusion": '''def confusion_matrix(y_true, y_pred, n_classes):
    codes = n_classes * np.asarray(y_true, dtype=int) + np.asarray(y_pred, dtype=int)
    return np.bincount(codes, minlength=n_classes * n_classes).reshape(n_classes, n_classes)
''',
        "precision-recall": '''def precision_recall(cm):
    cm = np.array(cm, dtype=float)
    k = cm.shape[0]
    precision, recall = np.zeros(k), np.zeros(k)
    for i in range(k):
        if cm[:, i].sum() > 0:
            precision[i] = cm[i, i] / cm[:, i].sum()
        if cm[i, :].sum() > 0:
            recall[i] = cm[i, i] / cm[i, :].sum()
    return precision, recall
''',
        "functional": '''def build():
    inputs = keras.Input((28, 28), name="image")
    flat = keras.layers.Flatten(name="flat")(inputs)
    h1 = keras.layers.Dense(64, activation=keras.activations.relu, name="h1")(flat)
    h1 = keras.layers.Dropout(rate=0.2)(h1)
    h2 = keras.layers.Dense(32, activation="relu", name="h2")(h1)
    return keras.Model(inputs, keras.layers.Dense(10, activation="softmax", name="probs")(h2))


my_functional = build()
my_functional.compile(optimizer=keras.optimizers.RMSprop(),
                      loss=keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])
history_f = my_functional.fit(fx_train, fy_train, epochs=scaled(full=10, fast=3), batch_size=128,
                              verbose=0)
''',
    },
    "wrong1": {
        "confusion": '''def confusion_matrix(y_true, y_pred, n_classes):
    matrix = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(matrix, (np.asarray(y_pred), np.asarray(y_true)), 1)   # bug: rows and columns swapped
    return matrix
''',
        "precision-recall": '''def precision_recall(cm):
    cm = np.asarray(cm, dtype=float)
    hits = np.diag(cm)
    return hits / cm.sum(axis=1), hits / cm.sum(axis=0)    # bug: axes swapped, and 0/0 gives NaN
''',
        "functional": '''my_functional = keras.Sequential([                # bug: Sequential, not functional
    keras.Input(shape=(28, 28)), keras.layers.Flatten(),
    keras.layers.Dense(64, activation="relu"), keras.layers.Dropout(0.2),
    keras.layers.Dense(32, activation="relu"), keras.layers.Dense(10, activation="softmax"),
])
my_functional.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
my_functional.fit(fx_train, fy_train, epochs=scaled(full=10, fast=3), batch_size=128, verbose=0)
''',
    },
    "wrong2": {
        "confusion": '''def confusion_matrix(y_true, y_pred, n_classes):
    n = max(max(y_true), max(y_pred)) + 1            # bug: ignores n_classes
    matrix = np.zeros((n, n), dtype=int)
    np.add.at(matrix, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return matrix
''',
        "precision-recall": '''def precision_recall(cm):
    cm = np.asarray(cm, dtype=float)
    hits = np.diag(cm)
    with np.errstate(divide="ignore", invalid="ignore"):
        return hits / cm.sum(axis=0), hits / cm.sum(axis=1)   # bug: 0/0 stays NaN
''',
        "functional": '''f_in = keras.Input(shape=(28, 28))
h = keras.layers.Flatten()(f_in)
h = keras.layers.Dense(64, activation="relu")(h)
h = keras.layers.Dense(32, activation="relu")(h)
h = keras.layers.Dropout(0.2)(h)                   # bug: dropout moved after the second layer
my_functional = keras.Model(f_in, keras.layers.Dense(10, activation="softmax")(h))
my_functional.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
my_functional.fit(fx_train, fy_train, epochs=scaled(full=10, fast=3), batch_size=128, verbose=0)
''',
    },
}

# ---------------------------------------------------------------------- 06
VARIANTS["06_overfitting_and_regularization"] = {
    "alt1": {
        "l2-penalty": '''def l2_penalty(kernels, lam):
    return lam * sum(float(np.sum(np.asarray(k) ** 2)) for k in kernels) + 0.0
''',
        "regularize": '''regularized = keras.Sequential(name="regularized")
regularized.add(keras.Input(shape=(784,)))
for _ in range(2):
    regularized.add(keras.layers.Dense(512, activation="relu",
                                       kernel_regularizer=keras.regularizers.l2(5e-4)))
    regularized.add(keras.layers.Dropout(0.4))
regularized.add(keras.layers.Dense(10, activation="softmax"))
regularized_history = train(compiled(regularized))
''',
        "early-stopping": '''def make_early_stopping(patience):
    return keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)
''',
    },
    "alt2": {
        "l2-penalty": '''def l2_penalty(kernels, lam):
    total = 0.0
    for kernel in kernels:
        total += float(keras.ops.sum(keras.ops.square(kernel)))
    return lam * total
''',
        "regularize": '''penalty = keras.regularizers.L1L2(l1=0.0, l2=1e-4)   # an L2 penalty written as L1L2
regularized = keras.Sequential([
    keras.Input(shape=(784,)),
    keras.layers.Dense(512, activation="relu", kernel_regularizer=penalty),
    keras.layers.Dropout(0.5),
    keras.layers.Dense(512, activation="relu", kernel_regularizer=penalty),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(10, activation="softmax"),
])
regularized_history = train(compiled(regularized))
''',
        "early-stopping": '''def make_early_stopping(patience):
    return keras.callbacks.EarlyStopping(monitor="val_loss", mode="min", min_delta=0.0,
                                         patience=patience, restore_best_weights=True, verbose=0)
''',
    },
    "wrong1": {
        "l2-penalty": '''def l2_penalty(kernels, lam):
    return float(sum(lam * np.sum(np.abs(np.asarray(k))) for k in kernels))   # bug: L1
''',
        "regularize": '''regularized = keras.Sequential([
    keras.Input(shape=(784,)),
    keras.layers.Dense(512, activation="relu", kernel_regularizer=keras.regularizers.L1(1e-4)),
    keras.layers.Dropout(0.5),
    keras.layers.Dense(512, activation="relu", kernel_regularizer=keras.regularizers.L1(1e-4)),
    keras.layers.Dropout(0.5),
    keras.layers.Dense(10, activation="softmax"),
], name="L1_instead_of_L2")                          # bug: L1, the text asks for L2
regularized_history = train(compiled(regularized))
''',
        "early-stopping": '''def make_early_stopping(patience):
    return keras.callbacks.EarlyStopping(monitor="loss", patience=patience,   # bug: training loss
                                         restore_best_weights=True)
''',
    },
    "wrong2": {
        "l2-penalty": '''def l2_penalty(kernels, lam):
    return float(sum(lam * np.mean(np.square(np.asarray(k))) for k in kernels))   # bug: mean
''',
        "regularize": '''regularized = keras.Sequential([
    keras.Input(shape=(784,)),
    keras.layers.Dense(512, activation="relu", kernel_regularizer=keras.regularizers.L2(1e-4)),
    keras.layers.Dropout(0.5),
    keras.layers.Dense(512, activation="relu", kernel_regularizer=keras.regularizers.L2(1e-4)),
    keras.layers.Dense(10, activation="softmax"),      # bug: no dropout after the second layer
])
regularized_history = train(compiled(regularized))
''',
        "early-stopping": '''def make_early_stopping(patience):
    return keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience)   # bug: no restore
''',
    },
}

# ---------------------------------------------------------------------- 07
VARIANTS["07_convolutional_networks"] = {
    "alt1": {
        "conv2d": '''def conv2d(x, kernel, bias):
    x, kernel = np.asarray(x, dtype=float), np.asarray(kernel, dtype=float)
    kh, kw, c_in, c_out = kernel.shape
    h, w = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    out = np.zeros((h, w, c_out))
    for i in range(h):
        for j in range(w):
            for f in range(c_out):
                out[i, j, f] = np.sum(x[i:i + kh, j:j + kw, :] * kernel[:, :, :, f]) + bias[f]
    return out
''',
        "fashion-convnet": '''my_convnet = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
    keras.layers.MaxPooling2D(),
    keras.layers.Conv2D(64, 3, activation="relu"),
    keras.layers.MaxPooling2D(),
    keras.layers.Flatten(),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dense(10),                          # logits: the loss applies the softmax
])
my_convnet.compile(optimizer="adam",
                   loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                   metrics=[keras.metrics.SparseCategoricalAccuracy(name="acc")])
my_convnet.fit(fashion_train, fashion_labels, epochs=scaled(full=10, fast=3), batch_size=64, verbose=0)
''',
        "freeze": '''def trainable_params(model):
    return sum(int(np.prod(v.shape)) for v in model.trainable_variables)


for layer in base_copy.layers:                     # freezing layer by layer = base_copy.trainable = False
    layer.trainable = False
inputs = keras.Input(shape=(28, 28, 1))
features = keras.layers.GlobalAveragePooling2D()(base_copy(inputs))
frozen_classifier = keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(features))
''',
    },
    "alt2": {
        "conv2d": '''from numpy.lib.stride_tricks import sliding_window_view


def conv2d(x, kernel, bias):
    kh, kw = kernel.shape[:2]
    windows = sliding_window_view(np.asarray(x, dtype=float), (kh, kw), axis=(0, 1))
    # windows: (H', W', C_in, kh, kw); kernel: (kh, kw, C_in, C_out)
    return np.einsum("ijcab,abcf->ijf", windows, np.asarray(kernel, dtype=float)) + bias
''',
        "fashion-convnet": '''inputs = keras.Input(shape=(28, 28, 1))
h = keras.layers.Conv2D(32, 5, activation="relu")(inputs)
h = keras.layers.MaxPooling2D(2)(h)
h = keras.layers.Conv2D(64, 3, activation="relu")(h)
h = keras.layers.MaxPooling2D(2)(h)
h = keras.layers.Flatten()(h)
h = keras.layers.Dropout(0.25)(h)
my_convnet = keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(h))
my_convnet.compile(optimizer=keras.optimizers.RMSprop(), loss="sparse_categorical_crossentropy",
                   metrics=["accuracy"])
my_convnet.fit(fashion_train, fashion_labels, epochs=scaled(full=10, fast=3), batch_size=64, verbose=0)
''',
        "freeze": '''def trainable_params(model):
    return int(np.sum([np.prod(w.shape) for w in model.trainable_weights]))


base_copy.trainable = False
frozen_classifier = keras.Sequential([keras.Input(shape=(28, 28, 1)), base_copy,
                                      keras.layers.GlobalAveragePooling2D(),
                                      keras.layers.Dense(10, activation="softmax")])
''',
    },
    "wrong1": {
        "conv2d": '''def conv2d(x, kernel, bias):
    x = np.asarray(x, dtype=float)
    kh, kw, _, c_out = kernel.shape
    padded = np.pad(x, ((kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))   # bug: "same", not "valid"
    out = np.zeros((x.shape[0], x.shape[1], c_out))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.tensordot(padded[i:i + kh, j:j + kw], kernel, axes=3)
    return out + bias
''',
        "fashion-convnet": '''my_convnet = keras.Sequential([                   # bug: only one convolution
    keras.Input(shape=(28, 28, 1)),
    keras.layers.Conv2D(32, 3, activation="relu"),
    keras.layers.MaxPooling2D(2),
    keras.layers.Flatten(),
    keras.layers.Dense(10, activation="softmax"),
])
my_convnet.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
my_convnet.fit(fashion_train, fashion_labels, epochs=scaled(full=10, fast=3), batch_size=64, verbose=0)
''',
        "freeze": '''def trainable_params(model):
    return int(sum(np.prod(w.shape) for w in model.trainable_weights))


_in = keras.Input(shape=(28, 28, 1))               # bug: the base is not frozen
_h = keras.layers.GlobalAveragePooling2D()(base_copy(_in))
frozen_classifier = keras.Model(_in, keras.layers.Dense(10, activation="softmax")(_h))
''',
    },
    "wrong2": {
        "conv2d": '''def conv2d(x, kernel, bias):
    x = np.asarray(x, dtype=float)
    flipped = np.asarray(kernel, dtype=float)[::-1, ::-1]   # bug: flips the kernel (Conv2D does not)
    kh, kw, _, c_out = flipped.shape
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1, c_out))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.tensordot(x[i:i + kh, j:j + kw], flipped, axes=3)
    return out + bias
''',
        "fashion-convnet": '''my_convnet = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    keras.layers.Conv2D(32, 3, activation="relu"),
    keras.layers.MaxPooling2D(2),
    keras.layers.Conv2D(64, 3, activation="relu"),
    keras.layers.GlobalAveragePooling2D(),
    keras.layers.Dense(10, activation="softmax"),
])
my_convnet.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
# bug: compiled but never trained
''',
        "freeze": '''def trainable_params(model):
    return int(sum(np.prod(w.shape) for w in model.weights))   # bug: counts frozen weights too


base_copy.trainable = False
_in = keras.Input(shape=(28, 28, 1))
_h = keras.layers.GlobalAveragePooling2D()(base_copy(_in, training=False))
frozen_classifier = keras.Model(_in, keras.layers.Dense(10, activation="softmax")(_h))
''',
    },
}

CORRECT = ("alt1", "alt2")
WRONG = ("wrong1", "wrong2")
