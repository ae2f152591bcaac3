"""BERT transfer on the sentiment sentences: frozen MiniLM head vs fine-tuned top layers vs
track-B baselines (TF-IDF + logistic regression, a Conv1D), and sentence-embedding throughput.

All rows use the same split of the 3,000 UCI sentiment sentences as notebooks 15-18
(``course_lib.text.splits.split_items(3000, 0.15, 0.15, seed=42, stratify=labels)``:
2,100 train / 450 validation / 450 test) and report test accuracy, mean ± sample std
over the seeds, and process CPU seconds (all threads) per seed.

=============  ================================================================
row            model
=============  ================================================================
``tfidf``      TF-IDF (1-2 grams, sublinear tf) + LogisticRegression(C=10);
               deterministic (lbfgs), so its std over seeds is 0
``conv1d``     TextVectorization(20k, 64 tokens) + Embedding 64 + Conv1D 128×5
               + GlobalMaxPooling + Dropout 0.5 + sigmoid; Adam, 10 epochs, the
               epoch with the best validation accuracy kept
``frozen``     MiniLM embeddings computed once (mean pooling, L2 norm), then
               Dense(1, sigmoid) trained 200 epochs (Adam 1e-2, full batch)
``finetuned``  the frozen row's head, then the top ``--layers`` transformer
               layers + head fine-tuned ``--epochs`` epoch(s), Adam 5e-5, batch 16
=============  ================================================================

Throughput: sentences per second embedded at a fixed length of 64 tokens (batch 32),
after one warm-up batch.

Usage:
    COURSE_DATA_MIRROR=/work/shared/data nice -n 5 python benchmarks/bert.py
        [--seeds 0 1 2] [--finetune-seeds N] [--layers 2] [--epochs 1] [--budget-min 30]
        [--report]  (rewrite bert.md from bert.json only)

Fine-tuning costs about 4 minutes per epoch on 2 cores; ``--budget-min`` stops starting
new fine-tuning seeds once that many minutes have passed (the table says how many ran).
Writes benchmarks/results/bert.md and bert.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
RESULTS = Path(__file__).parent / "results"


def _load() -> tuple[list[str], list[int], dict[str, list[int]]]:
    from course_lib.data import load_sentiment_sentences
    from course_lib.text.splits import split_items

    texts, labels, _ = load_sentiment_sentences()
    split = split_items(len(texts), 0.15, 0.15, seed=42, stratify=labels)
    parts = {"train": split.train.tolist(), "val": split.val.tolist(), "test": split.test.tolist()}
    return texts, labels.tolist(), parts


def _timed(fn):
    cpu, wall = time.process_time(), time.perf_counter()
    value = fn()
    return value, time.process_time() - cpu, time.perf_counter() - wall


def tfidf_row(texts, labels, parts, seed):
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    train = [texts[i] for i in parts["train"]]
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    clf = LogisticRegression(C=10.0, max_iter=2000, random_state=seed)
    clf.fit(vec.fit_transform(train), np.array(labels)[parts["train"]])
    pred = clf.predict(vec.transform([texts[i] for i in parts["test"]]))
    return float((pred == np.array(labels)[parts["test"]]).mean())


def conv1d_row(texts, labels, parts, seed):
    import keras
    import numpy as np
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    y = np.array(labels, dtype="float32")

    def strings(part):
        return tf.constant([texts[i] for i in parts[part]])

    vectorize = keras.layers.TextVectorization(max_tokens=20000, output_sequence_length=64)
    vectorize.adapt(strings("train"))
    model = keras.Sequential([
        keras.Input((64,), dtype="int64"),
        keras.layers.Embedding(20000, 64),
        keras.layers.Conv1D(128, 5, activation="relu"),
        keras.layers.GlobalMaxPooling1D(),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    best = keras.callbacks.ModelCheckpoint(f"/tmp/bert_bench_conv1d_{seed}.weights.h5",
                                           monitor="val_accuracy", save_best_only=True,
                                           save_weights_only=True)
    model.fit(vectorize(strings("train")), y[parts["train"]], epochs=10, batch_size=32,
              validation_data=(vectorize(strings("val")), y[parts["val"]]), verbose=0,
              callbacks=[best])
    model.load_weights(f"/tmp/bert_bench_conv1d_{seed}.weights.h5")
    return float(model.evaluate(vectorize(strings("test")), y[parts["test"]], verbose=0,
                                return_dict=True)["accuracy"])


def frozen_head(vectors, labels, parts, seed):
    import keras
    import numpy as np

    keras.utils.set_random_seed(seed)
    y = np.array(labels, dtype="float32")
    head = keras.Sequential([keras.Input((vectors.shape[1],)),
                             keras.layers.Dense(1, activation="sigmoid")])
    head.compile(optimizer=keras.optimizers.Adam(1e-2), loss="binary_crossentropy",
                 metrics=["accuracy"])
    head.fit(vectors[parts["train"]], y[parts["train"]], epochs=200,
             batch_size=len(parts["train"]), verbose=0)
    acc = head.evaluate(vectors[parts["test"]], y[parts["test"]], verbose=0,
                        return_dict=True)["accuracy"]
    return float(acc), head.layers[-1].get_weights()


def finetune_row(texts, labels, parts, seed, head_weights, layers, epochs):
    import keras
    import numpy as np

    from course_lib.bert import encode_batch, load_encoder, sentence_classifier

    keras.utils.set_random_seed(seed)
    encoder = load_encoder()  # fresh weights: fine-tuning changes the backbone in place
    y = np.array(labels, dtype="float32")
    model = sentence_classifier(encoder, trainable_layers=layers, head_weights=head_weights)
    train = encode_batch(encoder, [texts[i] for i in parts["train"]])
    test = encode_batch(encoder, [texts[i] for i in parts["test"]])
    model.fit(train, y[parts["train"]], epochs=epochs, batch_size=16, verbose=0)
    return float(model.evaluate(test, y[parts["test"]], verbose=0, batch_size=64,
                                return_dict=True)["accuracy"])


def throughput(encoder, texts, n=256):
    from course_lib.models.projector import embed_sentences

    embed_sentences(encoder.backbone, encoder.tokenizer, texts[:32], sequence_length=64)
    start, cpu = time.perf_counter(), time.process_time()
    embed_sentences(encoder.backbone, encoder.tokenizer, texts[:n], sequence_length=64)
    return n / (time.perf_counter() - start), n / (time.process_time() - cpu)


def summarize(accs, cpus):
    mean = statistics.mean(accs)
    std = statistics.stdev(accs) if len(accs) > 1 else 0.0
    return {"accuracies": accs, "mean": mean, "std": std, "n": len(accs),
            "cpu_s_mean": statistics.mean(cpus)}


def write(results, args):
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bert.json").write_text(json.dumps(results, indent=2) + "\n")
    names = {"tfidf": "TF-IDF (1-2 grams) + logistic regression",
             "conv1d": "Conv1D on TextVectorization tokens (10 epochs, best val)",
             "frozen": "MiniLM frozen: embed once + Dense(1) head",
             "finetuned": f"MiniLM fine-tuned: top {args.layers} layers + head, "
                          f"{args.epochs} epoch(s)"}
    lines = ["# BERT transfer on the sentiment sentences",
             "",
             f"Split: {results['split']}; test accuracy, mean ± sample std over seeds; "
             "CPU s = process CPU time (all threads) per seed. "
             f"Machine: {results['machine']}; load average {results['load']}.",
             "",
             "| model | test accuracy | seeds | CPU s / seed |",
             "|---|---|---|---|"]
    for key, title in names.items():
        row = results["rows"].get(key)
        if row:
            lines.append(f"| {title} | {100 * row['mean']:.1f} ± {100 * row['std']:.1f} % | "
                         f"{row['n']} | {row['cpu_s_mean']:.0f} |")
    if "throughput" in results:
        load = (f" (1-minute load average {results['throughput_load']:.1f})"
                if "throughput_load" in results else "")
        lines += ["", f"Embedding the 3,000 sentences once (frozen row): "
                      f"{results['embed_cpu_s']:.0f} CPU s, {results['embed_wall_s']:.0f} s wall.",
                  f"Sentence-embedding throughput at length 64 (batch 32): "
                  f"{results['throughput']:.1f} sentences/s wall"
                  + (f", {results['throughput_cpu']:.1f} sentences per CPU second (on a shared "
                     "machine the CPU figure is the comparable one)" if "throughput_cpu" in results
                     else "") + load + ".", ""]
    if results.get("note"):
        lines += [results["note"], ""]
    (RESULTS / "bert.md").write_text("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="*", default=[0, 1, 2])
    parser.add_argument("--finetune-seeds", type=int, default=3)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--budget-min", type=float, default=30.0)
    parser.add_argument("--report", action="store_true",
                        help="only rewrite bert.md from bert.json; the other options must be "
                             "the ones the run used (they name the fine-tuned row)")
    args = parser.parse_args()
    started = time.perf_counter()
    settings = {"seeds": args.seeds, "finetune_seeds": args.finetune_seeds,
                "layers": args.layers, "epochs": args.epochs, "budget_min": args.budget_min}
    if args.report:
        results = json.loads((RESULTS / "bert.json").read_text())
        results.setdefault("settings", settings)
        write(results, args)
        return 0

    import numpy as np

    from course_lib.bert import embed, load_encoder

    texts, labels, parts = _load()
    results = {"split": "split_items(3000, 0.15, 0.15, seed=42, stratify=labels): "
                        f"{len(parts['train'])}/{len(parts['val'])}/{len(parts['test'])}",
               "machine": f"{platform.machine()}, {os.cpu_count()} cores",
               "load": " ".join(f"{x:.1f}" for x in os.getloadavg()), "rows": {},
               "settings": settings, "load_by_row": {}}
    for key, fn in (("tfidf", tfidf_row), ("conv1d", conv1d_row)):
        accs, cpus = [], []
        for seed in args.seeds:
            acc, cpu, _ = _timed(lambda fn=fn, seed=seed: fn(texts, labels, parts, seed))
            accs.append(acc)
            cpus.append(cpu)
            print(f"{key} seed {seed}: {acc:.4f} ({cpu:.0f} CPU s)", flush=True)
        results["rows"][key] = summarize(accs, cpus)
        results["load_by_row"][key] = round(os.getloadavg()[0], 1)
        write(results, args)

    encoder = load_encoder()
    emb, embed_cpu, embed_wall = _timed(lambda: embed(encoder, texts, warn=False))
    results["embed_cpu_s"], results["embed_wall_s"] = embed_cpu, embed_wall
    results["throughput"], results["throughput_cpu"] = throughput(encoder, texts)
    results["throughput_load"] = os.getloadavg()[0]
    vectors = np.asarray(emb.vectors)
    heads, accs, cpus = {}, [], []
    for seed in args.seeds:
        (acc, weights), cpu, _ = _timed(lambda seed=seed: frozen_head(vectors, labels, parts, seed))
        heads[seed] = weights
        accs.append(acc)
        cpus.append(cpu)
        print(f"frozen seed {seed}: {acc:.4f}", flush=True)
    results["rows"]["frozen"] = summarize(accs, cpus)
    results["load_by_row"]["frozen"] = round(os.getloadavg()[0], 1)
    write(results, args)

    accs, cpus = [], []
    for seed in args.seeds[: args.finetune_seeds]:
        if accs and time.perf_counter() - started > 60 * args.budget_min:
            break
        acc, cpu, wall = _timed(lambda seed=seed: finetune_row(
            texts, labels, parts, seed, heads[seed], args.layers, args.epochs))
        accs.append(acc)
        cpus.append(cpu)
        print(f"finetuned seed {seed}: {acc:.4f} ({cpu:.0f} CPU s, {wall:.0f} s wall)", flush=True)
        results["rows"]["finetuned"] = summarize(accs, cpus)
        results["load"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
        results["load_by_row"]["finetuned"] = round(os.getloadavg()[0], 1)
        write(results, args)
    if len(accs) < min(args.finetune_seeds, len(args.seeds)):
        results["note"] = (f"Fine-tuning ran {len(accs)} of {args.finetune_seeds} seeds within "
                           f"the {args.budget_min:.0f}-minute budget (shared machine).")
        write(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
