import json
import shutil
from pathlib import Path

import pytest

from sensational.artifact import CARD_FILE, MODEL_FILE, load_bundle, save_bundle
from sensational.errors import ModelLoadError


@pytest.fixture
def model_copy(demo_model_dir: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "model"
    shutil.copytree(demo_model_dir, dst)
    return dst


def test_saved_bundle_reloads_and_scores_the_same(demo_scorer, tmp_path):
    card = save_bundle(demo_scorer, tmp_path / "again", {"note": "round trip"})
    reloaded, card_read = load_bundle(tmp_path / "again")
    assert card_read == card
    for headline in (
        "Panic grips the capital",
        "Council publishes budget",
        "21 cats you need to see",
    ):
        assert reloaded.score(headline).score == demo_scorer.score(headline).score


def test_checksum_mismatch_is_refused(model_copy):
    with (model_copy / MODEL_FILE).open("ab") as fh:
        fh.write(b"tampered")
    with pytest.raises(ModelLoadError, match="checksum mismatch"):
        load_bundle(model_copy)


def test_other_library_versions_are_refused(model_copy):
    card = json.loads((model_copy / CARD_FILE).read_text())
    card["libraries"]["scikit-learn"] = "0.24.2"
    (model_copy / CARD_FILE).write_text(json.dumps(card))
    with pytest.raises(ModelLoadError, match=r"scikit-learn 0\.24\.2 \(installed"):
        load_bundle(model_copy)


def test_missing_folder_is_refused(tmp_path):
    with pytest.raises(ModelLoadError, match="does not exist"):
        load_bundle(tmp_path / "nowhere")


def test_missing_card_is_refused(model_copy):
    (model_copy / CARD_FILE).unlink()
    with pytest.raises(ModelLoadError, match="model-card.json is missing"):
        load_bundle(model_copy)


def test_truncated_artifact_is_refused_even_with_matching_card(model_copy):
    import hashlib

    path = model_copy / MODEL_FILE
    path.write_bytes(path.read_bytes()[:1000])
    card = json.loads((model_copy / CARD_FILE).read_text())
    card["artifact"]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (model_copy / CARD_FILE).write_text(json.dumps(card))
    with pytest.raises(ModelLoadError, match="could not be loaded"):
        load_bundle(model_copy)
