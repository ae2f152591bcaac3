"""Every public view fails at its surface on plausible wrong input, with a clear message.

Four kinds of mistakes, tried on each public function of ``course_lib/views`` (the
``__all__`` of each module): a wrong type for the data argument, an ``ax=`` that is
not one Axes (a string; the array that ``plt.subplots(1, 2)`` returns), unknown
option values, and empty or mismatched data. Each must raise a ``CourseError``
subclass whose message quotes the bad value and has a ``Fix:`` line -- never an
``AttributeError``/``TypeError`` from deep inside, and never silently draw.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from course_lib.errors import CourseError

pytestmark = pytest.mark.slow


def _fails_clearly(call: Callable[[], Any], *quoted: str) -> CourseError:
    """Run ``call``; it must raise a CourseError that quotes each of ``quoted`` and says a fix."""
    with pytest.raises(CourseError) as caught:
        call()
    message = str(caught.value)
    for text in quoted:
        assert text in message, f"{text!r} not named in: {message}"
    assert "\nFix: " in message, f"no fix in: {message}"
    return caught.value


@pytest.fixture(scope="module")
def kit():
    """One small valid input of every kind the views draw (built once)."""
    import keras

    from course_lib.bert.encoder import SearchHit
    from course_lib.bert.masked import MaskedPrediction
    from course_lib.models.attention import AttentionMaps
    from course_lib.models.classification import confusion_matrix
    from course_lib.models.diagram import dense_network, model_graph
    from course_lib.models.feature_maps import feature_maps
    from course_lib.models.projector import from_array, project
    from course_lib.models.rnn import GradientNorms, hidden_states
    from course_lib.optim import compare_batch_sizes, make_regression_problem
    from course_lib.optim.one_d import learning_rate_examples
    from course_lib.optim.paths import compare_optimizers
    from course_lib.text.explorer import explain_sentence
    from course_lib.training import TrainingHistory
    from course_lib.tuning import trials_from_records

    rng = np.random.default_rng(0)
    scores = rng.random((2, 2, 3, 3))
    scores /= scores.sum(-1, keepdims=True)
    conv = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Conv2D(3, 3, name="conv"),
            keras.layers.MaxPooling2D(name="pool"),
        ]
    )
    rnn = keras.Sequential([keras.Input((5, 2)), keras.layers.SimpleRNN(4, name="rnn")])
    dense = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(3, name="hidden"), keras.layers.Dense(1, name="out")]
    )
    space = from_array(rng.normal(size=(12, 4)), labels=[f"w{i}" for i in range(12)])
    problem = make_regression_problem()
    history = TrainingHistory(
        {
            "loss": [1.0, 0.6, 0.4],
            "val_loss": [1.1, 0.8, 0.7],
            "accuracy": [0.5, 0.7, 0.8],
            "val_accuracy": [0.4, 0.6, 0.7],
        },
        epoch_times=[1.0, 0.5, 0.5],
        name="run",
    )
    records = [
        {"hyperparameters": {"units": u, "lr": lr}, "score": s, "history": history}
        for u, lr, s in ((8, 0.1, 0.6), (16, 0.01, 0.7), (32, 0.001, 0.65))
    ]
    return SimpleNamespace(
        attention=AttentionMaps(scores, ["a", "b", "c"], ["a", "b", "c"], ["l0", "l1"]),
        cm=confusion_matrix([0, 1, 1, 2, 2], [0, 1, 2, 2, 0], class_names=["x", "y", "z"]),
        model=dense,
        graph=model_graph(dense),
        network=dense_network(dense),
        conv=conv,
        image=rng.random((8, 8, 1)).astype("float32"),
        maps=feature_maps(conv, rng.random((8, 8, 1)).astype("float32")),
        kernel=rng.normal(size=(3, 3, 1, 4)),
        masked=MaskedPrediction(
            "a [MASK] day",
            ["[CLS]", "a", "[MASK]", "day", "[SEP]"],
            [2],
            [[("good", 0.6), ("bad", 0.3)]],
        ),
        space=space,
        projection=project(space, "pca"),
        rnn=rnn,
        sequence=rng.random((5, 2)).astype("float32"),
        states=hidden_states(rnn, rng.random((5, 2)).astype("float32")),
        norms=GradientNorms("rnn", np.array([0.1, 0.2, 0.4]), 0.5),
        hits=[SearchHit(0, 1, "the battery is weak", 0.8), SearchHit(1, 0, "it works", 0.3)],
        vectors=explain_sentence("the cat sat", ["[UNK]", "the", "cat", "sat"]),
        history=history,
        runs={"a": history, "b": history},
        trials=trials_from_records(records),
        problem=problem,
        regression=compare_batch_sizes(problem, steps=5),
        lr_runs=learning_rate_examples(),
        paths=compare_optimizers("bowl", ["sgd", "adam"], steps=5),
    )


# ------------------------------------------------- wrong type for the data argument
def _views(module: str) -> Any:
    import importlib

    return importlib.import_module(f"course_lib.views.{module}")


#: (module, function, the arguments after the wrong first one)
WRONG_FIRST = [
    ("attention", "draw_attention_heatmap", ()),
    ("attention", "draw_attention_lines", ()),
    ("attention", "draw_attention_heads", ()),
    ("attention", "show_attention", ()),
    ("confusion", "draw_confusion", ()),
    ("confusion", "show_confusion", ()),
    ("confusion", "cell_examples", (0, 1)),
    ("confusion", "examples_html", ([(0, 1)],)),
    ("decoding", "draw_decoding", ()),
    ("decoding", "show_decoding", ()),
    ("decoding", "translation_steps", ()),
    ("diagram", "ModelDiagram", ()),
    ("diagram", "NeuronDiagram", ()),
    ("diagram", "show_diagram", ()),
    ("diagram", "draw_diagram", ()),
    ("diagram", "diagram_svg", ()),
    ("diagram", "show_neurons", ()),
    ("diagram", "draw_neurons", ()),
    ("diagram", "neuron_svg", ()),
    ("feature_maps", "draw_feature_map", ()),
    ("feature_maps", "draw_feature_maps", ()),
    ("feature_maps", "draw_filters", ()),
    ("feature_maps", "draw_filter_patterns", ()),
    ("feature_maps", "tile_channels", ()),
    ("feature_maps", "show_feature_maps", (None,)),
    ("masked", "draw_masked_predictions", ()),
    ("projector", "draw_projection", ()),
    ("projector", "show_projector", ()),
    ("projector", "draw_analogy", ("a", "b", "c")),
    ("rnn", "draw_hidden_states", ()),
    ("rnn", "show_hidden_states", (None,)),
    ("rnn", "draw_gradient_norms", ()),
    ("rnn", "show_gradient_norms", ()),
    ("similarity", "draw_similarity_matrix", (["a"],)),
    ("similarity", "draw_search_results", (["not hits"],)),
    ("text", "draw_one_hot", ()),
    ("text", "draw_bag_of_words", ()),
    ("text", "draw_buckets", ()),
    ("text", "show_sentence", ()),
    ("text", "sentence_table", ()),
    ("text", "shown_columns", ()),
    ("trials", "as_trials", ()),
    ("trials", "trials_table", ()),
    ("trials", "plot_best_so_far", ()),
    ("trials", "plot_parallel_coordinates", ()),
    ("trials", "plot_best_trial", ()),
    ("trials", "show_trials", ()),
    ("training", "as_history", ()),
    ("training", "plot_metric", ()),
    ("training", "plot_epoch_times", ()),
    ("training", "plot_history", ()),
    ("training", "compare_runs", ()),
    ("training", "replay", ()),
    ("callbacks", "plot_timeline", ()),
    ("callbacks", "plot_learning_rate", ()),
    ("optim", "plot_paths", ()),
    ("optim", "plot_loss_curves", ()),
    ("optim", "plot_optimizer_comparison", ()),
    ("optim", "plot_paths_side_by_side", ()),
    ("optim", "plot_learning_rates_1d", ()),
    ("optim", "animation_html", ()),
    ("optim", "plot_regression_gd", ([],)),
    ("playground", "PlaygroundFigure", ()),
    ("optim", "animate_paths", ()),
    ("optim", "plot_surface", ()),
    ("playground", "plot_decision_surface", ()),
    ("playground", "plot_playground", ()),
    ("playground", "plot_neuron_maps", ()),
    ("playground", "plot_perceptron_run", ()),
    ("playground", "plot_xor_solution", ()),
    ("playground", "figure_png", ()),
    ("playground", "plot_loss_curves", ()),
]


@pytest.mark.parametrize("wrong", [{"oops": 1}, 7], ids=["dict", "int"])
@pytest.mark.parametrize(
    "module, name, rest", WRONG_FIRST, ids=[f"{m}.{n}" for m, n, _ in WRONG_FIRST]
)
def test_a_wrong_type_for_the_data_is_named(module, name, rest, wrong):
    function = getattr(_views(module), name)
    error = _fails_clearly(lambda: function(wrong, *rest))
    # the value, its type, or (for a dict) the bad entry is named
    named = (str(wrong), type(wrong).__name__, "'oops'")
    assert any(text in str(error) for text in named), str(error)


def test_the_list_covers_every_public_function_with_a_data_argument():
    import inspect

    listed = {(m, n) for m, n, _ in WRONG_FIRST}
    no_data = {
        "callbacks.draw_events",
        "training.TrainingPanels",
        "training.TrainingReplay",
        "training.StaticFigureOutput",
        "training.LiveFigureOutput",
        "text.TextExplorer",
        "text.explore_text",
        "decoding.TranslationSteps",
        "feature_maps.FeatureMapViewer",
        "projector.ProjectorView",
        "attention.AttentionViewer",
        "confusion.ConfusionExplorer",
        "optim.save_animation_html",
        "optim._frame_steps",
    }  # tested below
    missing = []
    for module in (
        "attention",
        "callbacks",
        "confusion",
        "decoding",
        "diagram",
        "feature_maps",
        "masked",
        "projector",
        "rnn",
        "similarity",
        "text",
        "trials",
        "training",
        "optim",
        "playground",
    ):
        mod = _views(module)
        names = getattr(mod, "__all__", None) or [
            n
            for n, o in vars(mod).items()
            if not n.startswith("_") and callable(o) and o.__module__ == mod.__name__
        ]
        for name in names:
            obj = getattr(mod, name)
            if not callable(obj) or isinstance(obj, dict) or name.isupper():
                continue
            required = [
                p
                for p in inspect.signature(obj).parameters.values()
                if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD
            ]
            key = f"{module}.{name}"
            if required and (module, name) not in listed and key not in no_data:
                missing.append(key)
    assert not missing, f"public views with a data argument not tried here: {missing}"


# ------------------------------------------------------------ ax= that is not an Axes
#: name -> a valid call that forwards ``ax=``
AX_CALLS: dict[str, Callable[..., Any]] = {
    "draw_attention_heatmap": lambda k, ax: _views("attention").draw_attention_heatmap(
        k.attention, ax=ax
    ),
    "draw_attention_lines": lambda k, ax: _views("attention").draw_attention_lines(
        k.attention, ax=ax
    ),
    "draw_confusion": lambda k, ax: _views("confusion").draw_confusion(k.cm, ax=ax),
    "draw_diagram": lambda k, ax: _views("diagram").draw_diagram(k.model, ax=ax),
    "draw_neurons": lambda k, ax: _views("diagram").draw_neurons(k.model, ax=ax),
    "draw_feature_map": lambda k, ax: _views("feature_maps").draw_feature_map(k.maps[0], ax=ax),
    "draw_filters": lambda k, ax: _views("feature_maps").draw_filters(k.kernel, ax=ax),
    "draw_filter_patterns": lambda k, ax: _views("feature_maps").draw_filter_patterns(
        [k.image, k.image], ax=ax
    ),
    "draw_masked_predictions": lambda k, ax: _views("masked").draw_masked_predictions(
        k.masked, ax=ax
    ),
    "draw_projection": lambda k, ax: _views("projector").draw_projection(
        k.projection, k.space, ax=ax
    ),
    "draw_analogy": lambda k, ax: _views("projector").draw_analogy(
        k.space, "w1", "w2", "w3", ax=ax
    ),
    "draw_hidden_states": lambda k, ax: _views("rnn").draw_hidden_states(k.states, ax=ax),
    "draw_gradient_norms": lambda k, ax: _views("rnn").draw_gradient_norms(k.norms, ax=ax),
    "draw_similarity_matrix": lambda k, ax: _views("similarity").draw_similarity_matrix(
        np.eye(2), ["a", "b"], ax=ax
    ),
    "draw_search_results": lambda k, ax: _views("similarity").draw_search_results(
        "battery", k.hits, ax=ax
    ),
    "draw_one_hot": lambda k, ax: _views("text").draw_one_hot(k.vectors, ax=ax),
    "draw_bag_of_words": lambda k, ax: _views("text").draw_bag_of_words(k.vectors, ax=ax),
    "draw_buckets": lambda k, ax: _views("text").draw_buckets(k.vectors, ax=ax),
    "plot_best_so_far": lambda k, ax: _views("trials").plot_best_so_far(k.trials, ax=ax),
    "plot_parallel_coordinates": lambda k, ax: _views("trials").plot_parallel_coordinates(
        k.trials, ax=ax
    ),
    "plot_best_trial": lambda k, ax: _views("trials").plot_best_trial(k.trials, ax=ax),
    "plot_metric": lambda k, ax: _views("training").plot_metric(k.history, ax=ax),
    "plot_epoch_times": lambda k, ax: _views("training").plot_epoch_times(k.history, ax=ax),
    "plot_history": lambda k, ax: _views("training").plot_history(k.history, axes=ax),
    "compare_runs": lambda k, ax: _views("training").compare_runs(k.runs, axes=ax),
    "plot_paths": lambda k, ax: _views("optim").plot_paths(k.paths, ax=ax),
    "plot_loss_curves": lambda k, ax: _views("optim").plot_loss_curves(k.paths, ax=ax),
    "plot_surface": lambda k, ax: _views("optim").plot_surface("bowl", ax=ax),
    "plot_learning_rates_1d": lambda k, ax: _views("optim").plot_learning_rates_1d(
        k.lr_runs, axes=ax
    ),
    "plot_regression_gd": lambda k, ax: _views("optim").plot_regression_gd(
        k.problem, k.regression, axes=ax
    ),
    "draw_events": lambda k, ax: _views("callbacks").draw_events(ax, []),
    "TrainingPanels": lambda k, ax: _views("training").TrainingPanels(ax, ["loss"]),
}


@pytest.mark.parametrize("name", sorted(AX_CALLS))
def test_an_ax_that_is_not_an_axes_is_named(kit, name):
    _fails_clearly(lambda: AX_CALLS[name](kit, "oops"), "'oops'", "Axes")


@pytest.mark.parametrize(
    "name",
    sorted(
        n
        for n in AX_CALLS
        if n
        not in {
            # these take several Axes, so an array is the right input for them
            "plot_history",
            "compare_runs",
            "plot_learning_rates_1d",
            "plot_regression_gd",
            "TrainingPanels",
            "draw_masked_predictions",
        }
    ),
)
def test_an_array_of_axes_says_pick_one(kit, name):
    from course_lib.views.display import subplots

    _, axes = subplots(1, 2, figsize=(4, 2))
    error = _fails_clearly(lambda: AX_CALLS[name](kit, axes), "ndarray")
    assert re.search(r"ax(es)?=axes\[0\]", str(error)), str(error)


def test_fig_must_be_a_figure(kit):
    from course_lib.views.display import subplots

    _, ax = subplots(figsize=(3, 2))
    for call in (
        lambda fig: _views("attention").draw_attention_heads(kit.attention, fig=fig),
        lambda fig: _views("feature_maps").draw_feature_maps(kit.maps, fig=fig),
    ):
        error = _fails_clearly(lambda call=call: call(ax), "Figure", "fig=ax.figure")
        assert "Axes" in str(error)


# ------------------------------------------------------------ unknown option values
OPTION_CASES: dict[str, tuple[Callable[..., Any], tuple[str, ...]]] = {
    "draw_confusion normalize": (
        lambda k: _views("confusion").draw_confusion(k.cm, normalize="rows"),
        ("'rows'",),
    ),
    "show_diagram color_by": (
        lambda k: _views("diagram").show_diagram(k.model, color_by="size"),
        ("'size'",),
    ),
    "show_diagram collapse": (
        lambda k: _views("diagram").show_diagram(k.model, collapse="yes"),
        ("'yes'",),
    ),
    "show_projector method": (
        lambda k: _views("projector").show_projector(k.space, method="lda"),
        ("'lda'",),
    ),
    "show_projector dims": (
        lambda k: _views("projector").show_projector(k.space, dims=4),
        ("dims=4",),
    ),
    "draw_projection highlight": (
        lambda k: _views("projector").draw_projection(k.projection, k.space, highlight="zzz"),
        ("'zzz'",),
    ),
    "draw_attention_heatmap layer": (
        lambda k: _views("attention").draw_attention_heatmap(k.attention, layer=5),
        ("5",),
    ),
    "draw_attention_lines head": (
        lambda k: _views("attention").draw_attention_lines(k.attention, head=9),
        ("9",),
    ),
    "plot_history metrics": (
        lambda k: _views("training").plot_history(k.history, metrics=["recall"]),
        ("'recall'",),
    ),
    "compare_runs splits": (
        lambda k: _views("training").compare_runs(k.runs, splits=("test",)),
        ("'test'",),
    ),
    "plot_metric metric": (
        lambda k: _views("training").plot_metric(k.history, metric="f1"),
        ("'f1'",),
    ),
    "plot_best_trial metric": (
        lambda k: _views("trials").plot_best_trial(k.trials, metric="recall"),
        ("'recall'",),
    ),
    "cell_examples class name": (
        lambda k: _views("confusion").cell_examples(k.cm, "w", "x"),
        ("'w'",),
    ),
    "examples_html class index": (
        lambda k: _views("confusion").examples_html(k.cm, [(0, 7)]),
        ("7",),
    ),
    "draw_hidden_states max_units": (
        lambda k: _views("rnn").draw_hidden_states(k.states, max_units=0),
        ("max_units=0",),
    ),
    "show_hidden_states layer": (
        lambda k: _views("rnn").show_hidden_states(k.rnn, k.sequence, layer="lstm"),
        ("'lstm'",),
    ),
    "show_feature_maps layers": (
        lambda k: _views("feature_maps").show_feature_maps(k.conv, k.image, layers=["dense"]),
        ("'dense'",),
    ),
    "tile_channels max_channels": (
        lambda k: _views("feature_maps").tile_channels(k.kernel[:, :, 0, :], max_channels=0),
        ("max_channels=0",),
    ),
    "optimizer_explorer optimizer": (
        lambda k: _views("optim").optimizer_explorer("bowl", "adamm"),
        ("'adamm'",),
    ),
    "optimizer_explorer surface": (
        lambda k: _views("optim").optimizer_explorer("donut", "adam"),
        ("'donut'",),
    ),
    "plot_surface surface": (lambda k: _views("optim").plot_surface("donut"), ("'donut'",)),
    "show_perceptron gate": (lambda k: _views("playground").show_perceptron("nand3"), ("'nand3'",)),
    "show_playground dataset": (
        lambda k: _views("playground").show_playground("moons2"),
        ("'moons2'",),
    ),
    "translation_steps beam_width": (
        lambda k: _views("decoding").translation_steps(_translator(), beam_width=0),
        ("beam_width=0",),
    ),
    "save_animation_html filename": (
        lambda k: _views("optim").save_animation_html(k.paths, "paths.png"),
        ("'paths.png'",),
    ),
    "draw_events events": (
        lambda k: _views("callbacks").draw_events(_axes(), "early stop"),
        ("'early stop'",),
    ),
    "TrainingPanels metrics": (lambda k: _views("training").TrainingPanels([_axes()], [3]), ("3",)),
    "explore_text vocabulary": (lambda k: _views("text").explore_text(None), ("NoneType",)),
    "explore_text sentence": (
        lambda k: _views("text").explore_text(["[UNK]", "a"], sentence=5),
        ("5",),
    ),
}


def _axes() -> Any:
    from course_lib.views.display import new_figure

    return new_figure((3, 2)).add_subplot()


def _translator() -> Any:
    """A Translator object without a model: translation_steps checks before translating."""
    from course_lib.translation.models import Translator

    return Translator.__new__(Translator)


@pytest.mark.parametrize("case", sorted(OPTION_CASES))
def test_unknown_option_values_are_named(kit, case):
    call, quoted = OPTION_CASES[case]
    _fails_clearly(lambda: call(kit), *quoted)


# ------------------------------------------------------- empty and mismatched data
SHAPE_CASES: dict[str, tuple[Callable[..., Any], tuple[str, ...]]] = {
    "compare_runs no runs": (lambda k: _views("training").compare_runs({}), ("{}",)),
    "plot_history empty history": (
        lambda k: _views("training").plot_history(_views("training").as_history({})),
        (),
    ),
    "draw_feature_maps no maps": (
        lambda k: _views("feature_maps").draw_feature_maps([]),
        ("maps=[]",),
    ),
    "draw_feature_maps one map": (
        lambda k: _views("feature_maps").draw_feature_maps(k.maps[0]),
        ("'conv'",),
    ),
    "draw_filter_patterns none": (
        lambda k: _views("feature_maps").draw_filter_patterns([]),
        ("0 patterns",),
    ),
    "draw_filter_patterns labels": (
        lambda k: _views("feature_maps").draw_filter_patterns([k.image], labels=["a", "b"]),
        ("2 labels",),
    ),
    "draw_filter_patterns shapes": (
        lambda k: _views("feature_maps").draw_filter_patterns([k.image, k.image[:4]]),
        ("(8, 8, 1)", "(4, 8, 1)"),
    ),
    "draw_filters 3-D kernel": (
        lambda k: _views("feature_maps").draw_filters(k.kernel[..., 0]),
        ("(3, 3, 1)",),
    ),
    "draw_search_results no hits": (
        lambda k: _views("similarity").draw_search_results("q", []),
        ("empty",),
    ),
    "draw_search_results classes": (
        lambda k: _views("similarity").draw_search_results("q", k.hits, classes=["a"]),
        ("1 classes",),
    ),
    "draw_similarity_matrix labels": (
        lambda k: _views("similarity").draw_similarity_matrix(np.eye(3), ["a", "b"]),
        ("(3, 3)",),
    ),
    "draw_similarity_matrix words": (
        lambda k: _views("similarity").draw_similarity_matrix([["high", "low"]], ["a"]),
        ("'high'",),
    ),
    "draw_projection other space": (
        lambda k: _views("projector").draw_projection(
            k.projection, _from_array(np.eye(3), labels=list("abc"))
        ),
        ("12 points", "3 points"),
    ),
    "draw_masked_predictions answers": (
        lambda k: _views("masked").draw_masked_predictions(k.masked, answer=["a", "b"]),
        ("['a', 'b']",),
    ),
    "draw_masked_predictions axes": (
        lambda k: _views("masked").draw_masked_predictions(k.masked, ax=[_axes(), _axes()]),
        ("Received: 2",),
    ),
    "cell_examples texts": (
        lambda k: _views("confusion").cell_examples(k.cm, 0, 0, texts=["only one"]),
        ("1 texts",),
    ),
    "examples_html cells": (lambda k: _views("confusion").examples_html(k.cm, (0, 1)), ("(0, 1)",)),
    "draw_gradient_norms nothing": (lambda k: _views("rnn").draw_gradient_norms([]), ("nothing",)),
    "TrainingPanels too few axes": (
        lambda k: _views("training").TrainingPanels([_axes()], ["loss", "accuracy"]),
        ("1 Axes",),
    ),
    "plot_learning_rates_1d axes": (
        lambda k: _views("optim").plot_learning_rates_1d(k.lr_runs, axes=[_axes()]),
        ("1 axes",),
    ),
    "plot_regression_gd axes": (
        lambda k: _views("optim").plot_regression_gd(k.problem, k.regression, axes=[_axes()]),
        ("Received: 1",),
    ),
    "plot_regression_gd no paths": (
        lambda k: _views("optim").plot_regression_gd(k.problem, []),
        ("paths=[]",),
    ),
    "plot_learning_rates_1d no runs": (
        lambda k: _views("optim").plot_learning_rates_1d([]),
        ("runs=[]",),
    ),
    "show_trials no trials": (
        lambda k: _views("trials").show_trials(_views("trials").as_trials([])),
        (),
    ),
    "explain an empty sentence": (
        lambda k: _views("text").explore_text(["[UNK]", "a"], sentence="  "),
        ("'  '",),
    ),
}


@pytest.mark.parametrize("case", sorted(SHAPE_CASES))
def test_empty_or_mismatched_data_is_named(kit, case):
    call, quoted = SHAPE_CASES[case]
    _fails_clearly(lambda: call(kit), *quoted)


def _from_array(*args: Any, **kwargs: Any) -> Any:
    from course_lib.models.projector import from_array

    return from_array(*args, **kwargs)
