"""The course's datasets: where each file comes from and how to check it.

Every file has a canonical public URL and a checksum. Most checksums are
sha256; Keras publishes only md5 for its two word-index files, so those are
checked the way ``keras.utils.get_file`` checks them. Files that Keras' own
dataset loaders read live in the Keras cache (``$KERAS_HOME/datasets``) so that
``keras.datasets.*.load_data()`` finds them; everything else lives in the
workbook cache (``course_lib.config.cache_dir()``).

The mirror paths follow the layout of ``shared/data`` (see its README), which is
what ``COURSE_DATA_MIRROR`` points to.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Literal

from course_lib.errors import DataError

Location = Literal["course", "keras"]

KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
MNIST_ORIGIN = "https://ossci-datasets.s3.amazonaws.com/mnist/"
UCI_STATIC = "https://archive.ics.uci.edu/static/public/"


@dataclass(frozen=True)
class FileSpec:
    """One file of a dataset.

    Attributes:
        cache_path: path below the cache root (the workbook cache, or the Keras
            cache when ``location == "keras"``).
        url: canonical public URL of the download.
        checksum: expected digest of the *final* file (after unpacking).
        algorithm: ``"sha256"`` (default) or ``"md5"`` where upstream only
            publishes md5.
        size: final size in bytes, when known.
        mirror_paths: relative paths tried, in order, inside the mirror.
        location: ``"course"`` or ``"keras"``.
        unpack: ``None``, ``"gzip"`` (the URL serves a .gz of the file) or
            ``"zip:MEMBER"`` (the URL serves a zip holding the file).
        build: name of a function in ``course_lib.data.builders`` that turns the
            downloaded archive into the final file, for files assembled from
            several upstream members.
    """

    cache_path: str
    url: str
    checksum: str
    algorithm: Literal["sha256", "md5"] = "sha256"
    size: int | None = None
    mirror_paths: tuple[str, ...] = ()
    location: Location = "course"
    unpack: str | None = None
    build: str | None = None

    @property
    def name(self) -> str:
        """The file's base name."""
        return self.cache_path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class DatasetSpec:
    """A dataset of the course: its files, licence and how to load it."""

    name: str
    title: str
    files: tuple[FileSpec, ...]
    license: str
    citation: str
    loader: str
    description: str = ""
    notes: str = ""
    aliases: tuple[str, ...] = field(default=())

    @property
    def size(self) -> int | None:
        """Total size in bytes, or None when a file's size is not known."""
        sizes = [f.size for f in self.files]
        return None if any(s is None for s in sizes) else sum(sizes)  # type: ignore[misc]


def _mnist_file(stem: str, sha256: str, size: int) -> FileSpec:
    return FileSpec(
        cache_path=f"mnist/{stem}",
        url=f"{MNIST_ORIGIN}{stem}.gz",
        checksum=sha256,
        size=size,
        mirror_paths=(f"mnist/{stem}",),
        unpack="gzip",
    )


def _fashion_file(fname: str, sha256: str, size: int) -> FileSpec:
    return FileSpec(
        cache_path=f"datasets/fashion-mnist/{fname}",
        url=f"{KERAS_ORIGIN}{fname}",
        checksum=sha256,
        size=size,
        mirror_paths=(f"keras_home/datasets/fashion-mnist/{fname}",),
        location="keras",
    )


_DATASETS: tuple[DatasetSpec, ...] = (
    DatasetSpec(
        name="mnist",
        title="MNIST handwritten digits",
        description="70,000 28x28 grey-scale digits (60k train / 10k test), original idx files.",
        files=(
            _mnist_file(
                "train-images-idx3-ubyte",
                "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                47040016,
            ),
            _mnist_file(
                "train-labels-idx1-ubyte",
                "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                60008,
            ),
            _mnist_file(
                "t10k-images-idx3-ubyte",
                "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                7840016,
            ),
            _mnist_file(
                "t10k-labels-idx1-ubyte",
                "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
                10008,
            ),
        ),
        license="MNIST database (LeCun, Cortes, Burges); widely redistributed for research",
        citation="LeCun, Bottou, Bengio, Haffner (1998), Gradient-based learning applied to "
        "document recognition, Proc. IEEE 86(11).",
        loader="load_mnist",
        notes="Read from the idx files; the arrays equal keras.datasets.mnist.load_data() "
        "element for element (Keras' mnist.npz itself is not mirrored offline).",
    ),
    DatasetSpec(
        name="fashion_mnist",
        title="Fashion-MNIST",
        description="70,000 28x28 grey-scale clothing images in 10 classes.",
        files=(
            _fashion_file(
                "train-labels-idx1-ubyte.gz",
                "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                29515,
            ),
            _fashion_file(
                "train-images-idx3-ubyte.gz",
                "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                26421880,
            ),
            _fashion_file(
                "t10k-labels-idx1-ubyte.gz",
                "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
                5148,
            ),
            _fashion_file(
                "t10k-images-idx3-ubyte.gz",
                "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                4422102,
            ),
        ),
        license="MIT, (c) 2017 Zalando SE",
        citation="Xiao, Rasul, Vollgraf (2017), Fashion-MNIST, arXiv:1708.07747.",
        loader="load_fashion_mnist",
        notes="Loaded by keras.datasets.fashion_mnist.load_data() from the Keras cache.",
        aliases=("fashion", "fashion-mnist"),
    ),
    DatasetSpec(
        name="boston_housing",
        title="Boston housing prices",
        description="506 Boston suburbs, 13 features, median home value in k$ (MEDV).",
        files=(
            FileSpec(
                cache_path="boston_housing/housing.data",
                url="https://archive.ics.uci.edu/ml/machine-learning-databases/housing/housing.data",
                checksum="4a8425d42eb99b76feb7ee7cf0fb1d897a6cd19b72c437e4855d767cabb7e24e",
                size=49083,
                mirror_paths=("extra/boston_housing.data",),
            ),
        ),
        license="StatLib / UCI; public research data",
        citation="Harrison & Rubinfeld (1978), Hedonic prices and the demand for clean air, "
        "J. Environ. Economics & Management 5:81-102. Column B encodes race and is "
        "ethically problematic (see scikit-learn's removal of load_boston).",
        loader="load_boston_housing",
        notes="Split exactly as keras.datasets.boston_housing.load_data() (seed 113, 20 % test).",
        aliases=("boston",),
    ),
    DatasetSpec(
        name="imdb",
        title="IMDB movie-review sentiment (word-index sequences)",
        description="50,000 reviews as word-index sequences, plus the word index.",
        files=(
            FileSpec(
                cache_path="datasets/imdb.npz",
                url=f"{KERAS_ORIGIN}imdb.npz",
                checksum="69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
                mirror_paths=("keras_home/datasets/imdb.npz",),
                location="keras",
            ),
            FileSpec(
                cache_path="datasets/imdb_word_index.json",
                url=f"{KERAS_ORIGIN}imdb_word_index.json",
                checksum="bfafd718b763782e994055a2d397834f",
                algorithm="md5",
                size=1641221,
                mirror_paths=("keras_home/datasets/imdb_word_index.json",),
                location="keras",
            ),
        ),
        license="Research use; Maas et al. (2011), distributed by Keras (Apache-2.0 project)",
        citation="Maas et al. (2011), Learning Word Vectors for Sentiment Analysis, ACL.",
        loader="load_imdb",
        notes="The review arrays (imdb.npz) are not in the offline mirror: they need the "
        "network. The word index is mirrored.",
    ),
    DatasetSpec(
        name="reuters",
        title="Reuters newswire topics (word-index sequences)",
        description="11,228 newswires in 46 topics, plus the word index.",
        files=(
            FileSpec(
                cache_path="datasets/reuters.npz",
                url=f"{KERAS_ORIGIN}reuters.npz",
                checksum="d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916",
                mirror_paths=("keras_home/datasets/reuters.npz",),
                location="keras",
            ),
            FileSpec(
                cache_path="datasets/reuters_word_index.json",
                url=f"{KERAS_ORIGIN}reuters_word_index.json",
                checksum="4d44cc38712099c9e383dc6e5f11a921",
                algorithm="md5",
                mirror_paths=("keras_home/datasets/reuters_word_index.json",),
                location="keras",
            ),
        ),
        license="Reuters-21578, research use; distributed by Keras (Apache-2.0 project)",
        citation="Lewis (1997), Reuters-21578 text categorization test collection.",
        loader="load_reuters",
        notes="Not in the offline mirror: needs the network.",
    ),
    DatasetSpec(
        name="poems",
        title="German poems: Goethe, Heine, Tucholsky",
        description="2,362 poems (Goethe 934, Heine 704, Tucholsky 724) as author/title/text.",
        files=(
            FileSpec(
                cache_path="text/poems_de.jsonl",
                url="https://github.com/tnhaider/DLK/archive/"
                "d4d2ad92682a3331913de32416a0c8df50eacd3c.zip",
                checksum="795c2dd6313da9161af2c855fff9d62535bb24bcfc1afcbe284ef34c44ff842f",
                size=2066600,
                mirror_paths=("text/poems_de.jsonl",),
                build="poems_from_dlk",
            ),
        ),
        license="Texts public domain; corpus DLK v6 (Deutsches Textarchiv CC BY-SA 4.0, "
        "TextGrid CC BY 3.0)",
        citation="Haider (2021), Metrical Tagging in the Wild, EACL (arXiv:2102.08858); "
        "Haider & Eger (2019), LChange workshop W19-4727.",
        loader="load_poems",
        notes="Assembled from the Deutsches Lyrik Korpus; the offline mirror holds the result.",
        aliases=("poems_de", "gedichte"),
    ),
    DatasetSpec(
        name="fra_eng",
        title="English-French sentence pairs (Tatoeba / ManyThings)",
        description="142,787 English<TAB>French pairs, release 2017-09-29.",
        files=(
            FileSpec(
                cache_path="text/fra-eng.tsv",
                url="https://github.com/genimind/seq2seq/raw/"
                "843b8bc40396fbea4ac9171097122aacfc8b9660/fra-eng.zip",
                checksum="2546838ae46e0eac4c02ab7032ea0a02a006074a5340077a36a9444f41e02888",
                size=10009515,
                mirror_paths=("text/fra-eng.tsv",),
                unpack="zip:fra.txt",
            ),
        ),
        license="CC BY 2.0 (Tatoeba); attribution www.manythings.org/anki and tatoeba.org",
        citation="Tatoeba Project; ManyThings.org Anki sentence pairs (2017-09-29).",
        loader="load_fra_eng",
        aliases=("fra-eng", "en_fr", "translation"),
    ),
    DatasetSpec(
        name="sms_spam",
        title="SMS Spam Collection v.1",
        description="5,574 SMS messages labelled ham (4,827) or spam (747).",
        files=(
            FileSpec(
                cache_path="text/sms_spam.tsv",
                url=f"{UCI_STATIC}228/sms+spam+collection.zip",
                checksum="7d039a24a6083ed9ef0f806ebad56bbb976e3aeb8de05669173bfdc4996c239d",
                size=477907,
                mirror_paths=("text/sms_spam.tsv",),
                unpack="zip:SMSSpamCollection",
            ),
        ),
        license="CC BY 4.0 (UCI); (c) Almeida & Gomez Hidalgo",
        citation="Almeida, Gomez Hidalgo, Yamakami (2011), Contributions to the Study of SMS "
        "Spam Filtering: New Collection and Results, DocEng.",
        loader="load_sms_spam",
        aliases=("sms", "spam"),
    ),
    DatasetSpec(
        name="sentiment_sentences",
        title="Sentiment Labelled Sentences (Amazon, IMDB, Yelp)",
        description="3,000 sentences (1,000 per source, half positive) labelled 0/1.",
        files=(
            FileSpec(
                cache_path="text/sentiment_sentences.tsv",
                url=f"{UCI_STATIC}331/sentiment+labelled+sentences.zip",
                checksum="8ba41ff2be1048016ed9e2d368fa21a1b66ee8ad7332a309bf67309528f053dc",
                size=221847,
                mirror_paths=("text/sentiment_sentences.tsv",),
                build="sentiment_from_uci_zip",
            ),
        ),
        license="CC BY 4.0 (UCI)",
        citation="Kotzias, Denil, de Freitas, Smyth (2015), From Group to Individual Labels "
        "using Deep Features, KDD.",
        loader="load_sentiment_sentences",
        aliases=("sentiment",),
    ),
)

REGISTRY: dict[str, DatasetSpec] = {spec.name: spec for spec in _DATASETS}


def dataset_names() -> list[str]:
    """Names of every registered dataset, in course order."""
    return list(REGISTRY)


def get_spec(name: str, registry: dict[str, DatasetSpec] | None = None) -> DatasetSpec:
    """Look a dataset up by name or alias.

    Raises:
        DataError: unknown name; the message suggests the closest names.
    """
    registry = REGISTRY if registry is None else registry
    key = name.strip().lower().replace("-", "_")
    if key in registry:
        return registry[key]
    for spec in registry.values():
        if key in {a.replace("-", "_") for a in spec.aliases}:
            return spec
    candidates = list(registry) + [a for s in registry.values() for a in s.aliases]
    close = difflib.get_close_matches(key, candidates, n=3, cutoff=0.5)
    suggestion = f"Did you mean {', '.join(repr(c) for c in close)}? " if close else ""
    raise DataError(
        f"Unknown dataset {name!r}. {suggestion}Known datasets: {', '.join(registry)}.",
        hint="run `course data status` to list them.",
    )
