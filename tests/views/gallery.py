"""Small real architectures for the diagram tests (built, never trained)."""

from __future__ import annotations

from typing import Any


def question_answering() -> Any:
    """Two inputs (reference text, question) -> one answer word (Chollet's example)."""
    import keras
    from keras import layers

    text_input = keras.Input(shape=(None,), dtype="int32", name="text")
    question_input = keras.Input(shape=(None,), dtype="int32", name="question")
    encoded_text = layers.LSTM(32, name="text_lstm")(layers.Embedding(1000, 64)(text_input))
    encoded_question = layers.LSTM(16, name="question_lstm")(
        layers.Embedding(1000, 32)(question_input)
    )
    merged = layers.concatenate([encoded_text, encoded_question], axis=-1, name="merge")
    answer = layers.Dense(500, activation="softmax", name="answer")(merged)
    return keras.Model([text_input, question_input], answer, name="question_answering")


def ticket_triage() -> Any:
    """Keras functional-API guide: title, body and tags -> priority and department."""
    import keras
    from keras import layers

    num_tags, num_words, num_departments = 12, 1000, 4
    title_input = keras.Input(shape=(None,), name="title")
    body_input = keras.Input(shape=(None,), name="body")
    tags_input = keras.Input(shape=(num_tags,), name="tags")
    title_features = layers.Embedding(num_words, 64)(title_input)
    body_features = layers.Embedding(num_words, 64)(body_input)
    title_features = layers.LSTM(128)(title_features)
    body_features = layers.LSTM(32)(body_features)
    x = layers.concatenate([title_features, body_features, tags_input])
    priority_pred = layers.Dense(1, name="priority")(x)
    department_pred = layers.Dense(num_departments, name="department")(x)
    return keras.Model(
        inputs=[title_input, body_input, tags_input],
        outputs={"priority": priority_pred, "department": department_pred},
        name="ticket_qa",
    )


def age_income_gender() -> Any:
    """One social-media post in; age (regression), income (classes), gender out."""
    import keras
    from keras import layers

    posts = keras.Input(shape=(None,), dtype="int32", name="posts")
    x = layers.Embedding(500, 32)(posts)
    x = layers.Conv1D(32, 5, activation="relu")(x)
    x = layers.MaxPooling1D(5)(x)
    x = layers.Conv1D(32, 5, activation="relu")(x)
    x = layers.GlobalMaxPooling1D()(x)
    x = layers.Dense(32, activation="relu")(x)
    age = layers.Dense(1, name="age")(x)
    income = layers.Dense(10, activation="softmax", name="income")(x)
    gender = layers.Dense(1, activation="sigmoid", name="gender")(x)
    return keras.Model(posts, [age, income, gender], name="age_income_gender")


def resnet_block() -> Any:
    """Two convs with a skip connection (identity add)."""
    import keras
    from keras import layers

    inputs = keras.Input(shape=(16, 16, 8), name="image")
    x = layers.Conv2D(8, 3, padding="same", activation="relu", name="conv_a")(inputs)
    x = layers.Conv2D(8, 3, padding="same", name="conv_b")(x)
    x = layers.Add(name="skip_add")([x, inputs])
    outputs = layers.Activation("relu", name="relu_out")(x)
    return keras.Model(inputs, outputs, name="resnet_block")


def inception_block() -> Any:
    """Four parallel branches concatenated (GoogLeNet style)."""
    import keras
    from keras import layers

    inputs = keras.Input(shape=(16, 16, 8), name="image")
    b1 = layers.Conv2D(4, 1, activation="relu", name="branch1_1x1")(inputs)
    b2 = layers.Conv2D(4, 1, activation="relu", name="branch2_1x1")(inputs)
    b2 = layers.Conv2D(4, 3, padding="same", activation="relu", name="branch2_3x3")(b2)
    b3 = layers.Conv2D(4, 1, activation="relu", name="branch3_1x1")(inputs)
    b3 = layers.Conv2D(4, 5, padding="same", activation="relu", name="branch3_5x5")(b3)
    b4 = layers.MaxPooling2D(3, strides=1, padding="same", name="branch4_pool")(inputs)
    b4 = layers.Conv2D(4, 1, activation="relu", name="branch4_1x1")(b4)
    outputs = layers.Concatenate(name="concat")([b1, b2, b3, b4])
    return keras.Model(inputs, outputs, name="inception_block")


def siamese_lstm() -> Any:
    """Two sentences through one shared Embedding + LSTM, then compared."""
    import keras
    from keras import layers

    left = keras.Input(shape=(20,), dtype="int32", name="left")
    right = keras.Input(shape=(20,), dtype="int32", name="right")
    embed = layers.Embedding(300, 16, name="shared_embedding")
    encoder = layers.LSTM(24, name="shared_lstm")
    merged = layers.concatenate([encoder(embed(left)), encoder(embed(right))], name="merge")
    outputs = layers.Dense(1, activation="sigmoid", name="same")(merged)
    return keras.Model([left, right], outputs, name="siamese_lstm")


def shared_encoder_twice() -> Any:
    """One nested encoder model called twice: side by side (siamese) and on its own output."""
    import keras
    from keras import layers

    sentence = keras.Input(shape=(8,), name="sentence")
    encoder = keras.Model(sentence, layers.Dense(8, name="code")(sentence), name="encoder")
    left = keras.Input(shape=(8,), name="left")
    right = keras.Input(shape=(8,), name="right")
    pair = layers.Subtract(name="difference")([encoder(left), encoder(right)])
    twice = encoder(encoder(left))  # the same encoder fed its own output
    side = layers.Dense(8, name="side")(right)
    merged = layers.Concatenate(name="merge")([pair, twice, side])
    return keras.Model([left, right], layers.Dense(1, name="score")(merged), name="shared_twice")


def transformer_block() -> Any:
    """MultiHeadAttention + residual + LayerNorm + feed-forward + residual."""
    import keras
    from keras import layers

    inputs = keras.Input(shape=(10, 32), name="tokens")
    attn = layers.MultiHeadAttention(num_heads=4, key_dim=8, name="self_attention")(
        inputs, inputs
    )
    x = layers.LayerNormalization(name="norm_1")(layers.Add(name="residual_1")([inputs, attn]))
    ff = layers.Dense(64, activation="relu", name="ff_1")(x)
    ff = layers.Dense(32, name="ff_2")(ff)
    outputs = layers.LayerNormalization(name="norm_2")(layers.Add(name="residual_2")([x, ff]))
    return keras.Model(inputs, outputs, name="transformer_block")


def nested_classifier() -> Any:
    """A functional model around a nested Sequential feature extractor."""
    import keras
    from keras import layers

    features = keras.Sequential(
        [
            keras.Input((8,), name="features_in"),
            layers.Dense(6, name="f1"),
            layers.Dense(4, name="f2"),
        ],
        name="features",
    )
    inputs = keras.Input((8,), name="x")
    outputs = layers.Dense(2, name="head")(features(inputs))
    return keras.Model(inputs, outputs, name="nested")
