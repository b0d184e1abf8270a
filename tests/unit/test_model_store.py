from bot.runtime.model_store import model_path_for, training_fingerprint


def make_project(root):
    (root / "nlu_data").mkdir()
    (root / "nlu_data" / "nlu.yml").write_text("nlu: []\n")
    (root / "domain.yml").write_text("intents: [greet]\n")
    (root / "config.yml").write_text("pipeline: []\n")


def test_fingerprint_is_stable_and_follows_every_input(tmp_path):
    make_project(tmp_path)
    config = tmp_path / "config.yml"
    first = training_fingerprint(tmp_path, config)
    assert training_fingerprint(tmp_path, config) == first

    (tmp_path / "nlu_data" / "nlu.yml").write_text("nlu: [x]\n")
    second = training_fingerprint(tmp_path, config)
    assert second != first

    config.write_text("pipeline: [a]\n")
    third = training_fingerprint(tmp_path, config)
    assert third != second

    (tmp_path / "nlu_data" / "more.yml").write_text("")
    assert training_fingerprint(tmp_path, config) != third


def test_renaming_a_file_changes_the_fingerprint(tmp_path):
    make_project(tmp_path)
    config = tmp_path / "config.yml"
    before = training_fingerprint(tmp_path, config)
    (tmp_path / "nlu_data" / "nlu.yml").rename(tmp_path / "nlu_data" / "other.yml")
    assert training_fingerprint(tmp_path, config) != before


def test_model_path_names_the_fingerprint(tmp_path):
    assert model_path_for(tmp_path, "abc").name == "shopbot-abc.tar.gz"
