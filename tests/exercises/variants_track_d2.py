# ruff: noqa: E501  (the variants are student code, kept as a student would write it)
"""Alternative and wrong solutions for the graded exercises of notebooks 18-19.

Per notebook four submissions: ``alt1`` and ``alt2`` solve every exercise correctly but
differently from the instructor; ``wrong1`` and ``wrong2`` hold a plausible student bug
in every exercise. ``python tests/exercises/variants_track_d2.py`` writes them as
``submissions/NN/<name>.ipynb`` (from ``solutions/``, only the variant's cells replaced)
with ``expected.json``; ``run_suite.py`` grades those folders.
"""

from __future__ import annotations

import sys
from pathlib import Path

VARIANTS: dict[str, dict[str, dict[str, str]]] = {}

VARIANTS["18_bert"] = {
    "alt1": {
        "wordpiece-split": '''def wordpiece_split(word, vocabulary):
    def rest(start):
        if start == len(word):
            return []
        for end in range(len(word), start, -1):
            piece = ("##" if start else "") + word[start:end]
            if piece in vocabulary:
                tail = rest(end)
                return None if tail is None else [piece] + tail
        return None
    pieces = rest(0)
    return ["[UNK]"] if pieces is None else pieces
''',
        "mean-pool": '''def mean_pool(hidden, padding_mask):
    out = []
    for h, m in zip(np.asarray(hidden), np.asarray(padding_mask)):
        v = h[m.astype(bool)].mean(axis=0)
        out.append(v / np.sqrt((v ** 2).sum()))
    return np.stack(out)
''',
        "frozen-head": '''my_head = keras.Sequential([keras.Input(shape=(x_train.shape[1],)), keras.layers.Dense(1, activation="sigmoid")])
my_head.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss=keras.losses.BinaryCrossentropy(),
                metrics=[keras.metrics.BinaryAccuracy()])
my_head.fit(x_train, y_train, epochs=150, batch_size=64, validation_data=(x_val, y_val), verbose=0)
''',
    },
    "alt2": {
        "wordpiece-split": '''def wordpiece_split(word, vocabulary):
    out = []
    i = 0
    while i < len(word):
        match = None
        for j in range(len(word), i, -1):
            candidate = word[i:j] if i == 0 else f"##{word[i:j]}"
            if candidate in vocabulary:
                match = candidate
                i = j
                break
        if match is None:
            return ["[UNK]"]
        out.append(match)
    return out
''',
        "mean-pool": '''def mean_pool(hidden, padding_mask):
    m = np.asarray(padding_mask).astype("float32")
    summed = np.einsum("btd,bt->bd", np.asarray(hidden), m)
    mean = summed / m.sum(axis=1, keepdims=True)
    return mean / np.linalg.norm(mean, axis=-1, keepdims=True)
''',
        "frozen-head": '''inp = keras.Input(shape=(384,))
h = keras.layers.Dense(64, activation="relu")(inp)
h = keras.layers.Dense(16, activation="relu")(h)
out = keras.layers.Dense(1, activation="sigmoid")(h)
my_head = keras.Model(inp, out)
my_head.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
my_head.fit(x_train, y_train, epochs=40, batch_size=16, verbose=0)
''',
    },
    "wrong1": {
        "wordpiece-split": '''def wordpiece_split(word, vocabulary):
    pieces, start = [], 0
    while start < len(word):
        for end in range(start + 1, len(word) + 1):   # shortest piece first
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in vocabulary:
                break
        else:
            return ["[UNK]"]
        pieces.append(piece)
        start = end
    return pieces
''',
        "mean-pool": '''def mean_pool(hidden, padding_mask):
    mean = np.asarray(hidden).mean(axis=1)          # padding included
    return mean / np.linalg.norm(mean, axis=1, keepdims=True)
''',
        "frozen-head": '''my_head = keras.Sequential([keras.Input(shape=(384,)), keras.layers.Dense(1, activation="sigmoid")])
my_head.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
shuffled = np.random.default_rng(0).permutation(y_train)      # labels no longer match
my_head.fit(x_train, shuffled, epochs=50, verbose=0)
''',
    },
    "wrong2": {
        "wordpiece-split": '''def wordpiece_split(word, vocabulary):
    pieces, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start and word[start:end] not in vocabulary:   # forgets the ## prefix
            end -= 1
        if end == start:
            return ["[UNK]"]
        pieces.append(word[start:end] if start == 0 else "##" + word[start:end])
        start = end
    return pieces
''',
        "mean-pool": '''def mean_pool(hidden, padding_mask):
    weights = np.asarray(padding_mask)[..., None]
    return (np.asarray(hidden) * weights).sum(axis=1) / weights.sum(axis=1)   # not unit length
''',
        "frozen-head": '''my_head = keras.Sequential([keras.Input(shape=(384,)), keras.layers.Dense(8, activation="relu"),
                           keras.layers.Dense(1, activation="sigmoid")])
my_head.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
# (forgot to call fit)
''',
    },
}

VARIANTS["19_from_keras_to_production"] = {
    "alt1": {
        "text-model": '''def make_text_model(train_texts, train_labels):
    tv = keras.layers.TextVectorization(max_tokens=8000, output_mode="tf_idf", ngrams=2)
    tv.adapt(tf.constant(train_texts))
    m = keras.Sequential([keras.Input(shape=(1,), dtype="string"), tv,
                          keras.layers.Dropout(0.3),
                          keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
    m.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss=keras.losses.BinaryCrossentropy(),
              metrics=[keras.metrics.BinaryAccuracy()])
    m.fit(as_strings(train_texts), np.array(train_labels), epochs=8, batch_size=64, verbose=0)
    return m
''',
        "keras-version": '''def saved_keras_version(path):
    archive = zipfile.ZipFile(str(path))
    with archive.open("metadata.json") as fh:
        meta = json.load(fh)
    archive.close()
    return str(meta["keras_version"])
''',
        "agreement": '''def agreement(model_a, model_b, texts):
    la = (model_a.predict(as_strings(texts), verbose=0).ravel() >= 0.5).astype(int)
    lb = (model_b.predict(as_strings(texts), verbose=0).ravel() >= 0.5).astype(int)
    return float(np.mean(la == lb))
''',
    },
    "alt2": {
        "text-model": '''def make_text_model(train_texts, train_labels):
    tv = keras.layers.TextVectorization(max_tokens=10000, output_sequence_length=40)
    tv.adapt(train_texts)
    inp = keras.Input(shape=(1,), dtype="string")
    x = tv(inp)
    x = keras.layers.Embedding(10000, 16)(x)
    x = keras.layers.GlobalAveragePooling1D()(x)
    out = keras.layers.Dense(1, activation="sigmoid")(x)
    m = keras.Model(inp, out)
    m.compile("adam", "binary_crossentropy", metrics=["accuracy"])  # compile's 3rd positional is loss_weights
    m.fit(tf.constant([[t] for t in train_texts]), train_labels, epochs=20, batch_size=32, verbose=0)
    return m
''',
        "keras-version": '''def saved_keras_version(path):
    meta = zipfile.Path(path, "metadata.json").read_text()
    return json.loads(meta).get("keras_version")
''',
        "agreement": '''def agreement(model_a, model_b, texts):
    same = 0
    pa = np.asarray(model_a(as_strings(texts))).reshape(-1)
    pb = np.asarray(model_b(as_strings(texts))).reshape(-1)
    for a, b in zip(pa, pb):
        same += int((a >= 0.5) == (b >= 0.5))
    return same / len(texts)
''',
    },
    "wrong1": {
        "text-model": '''def make_text_model(train_texts, train_labels):
    tv = keras.layers.TextVectorization(max_tokens=5000, output_mode="multi_hot")
    tv.adapt(tf.constant(train_texts))
    m = keras.Sequential([keras.Input(shape=(5000,)), keras.layers.Dense(1, activation="sigmoid")])   # vectorizer outside
    m.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    m.fit(tv(tf.constant(train_texts)), np.asarray(train_labels), epochs=10, verbose=0)
    return m
''',
        "keras-version": '''def saved_keras_version(path):
    return keras.__version__      # the running version, not the saved one
''',
        "agreement": '''def agreement(model_a, model_b, texts):
    a = model_a.predict(as_strings(texts), verbose=0).ravel() >= 0.5
    b = model_b.predict(as_strings(texts), verbose=0).ravel() >= 0.5
    return float((a != b).mean())      # disagreement
''',
    },
    "wrong2": {
        "text-model": '''def make_text_model(train_texts, train_labels):
    tv = keras.layers.TextVectorization(max_tokens=5000, output_mode="multi_hot")
    tv.adapt(tf.constant(train_texts))
    m = keras.Sequential([keras.Input(shape=(1,), dtype="string"), tv, keras.layers.Dense(1, activation="sigmoid")])
    m.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    return m      # never trained
''',
        "keras-version": '''def saved_keras_version(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("metadata.json"))     # the whole dict
''',
        "agreement": '''def agreement(model_a, model_b, texts):
    a = model_a.predict(as_strings(texts), verbose=0).ravel()
    b = model_b.predict(as_strings(texts), verbose=0).ravel()
    return float(np.isclose(a, b, atol=1e-3).mean())     # compares probabilities, not labels
''',
    },
}


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import tests.exercises.variants_track_c as track_c  # noqa: E402
    from tests.exercises.variants_track_c import write_submissions  # noqa: E402

    track_c.VARIANTS = VARIANTS
    write_submissions(Path(__file__).resolve().parents[2])
