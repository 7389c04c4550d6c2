from annotator.suggest.features import capital_runs, run_features, sequence_features


def test_capital_runs_are_maximal_and_skip_caseless_scripts():
    words = ["the", "St.", "Lawrence", "River", "(", "Quebec", ")", "ঢাকা", "শহর"]
    assert capital_runs(words) == [(1, 3), (5, 5)]
    assert capital_runs(["ঢাকা", "শহর"]) == []  # no case: no runs


def test_every_word_of_a_run_sees_its_last_word():
    # "river" at the end tells the label of "St." two words before it, past the +2 window
    feats = run_features(["St.", "Lawrence", "River", "flows"])
    assert all("rl=river" in f and "rf=st." in f and "rn=3" in f for f in feats[:3])
    assert [next(x for x in f if x.startswith("rp=")) for f in feats[:3]] == ["rp=B", "rp=I", "rp=E"]
    assert feats[3] == []
    assert "rp=S" in run_features(["in", "Quebec"])[1]


def test_sequence_features_carry_runs_length_and_the_second_neighbours():
    feats = sequence_features(["at", "the", "St.", "Lawrence", "River", "mouth"])
    third = feats[2]
    assert "rl=river" in third and "len=6" in third
    assert "-2w=at" in third and "-2s=x" in third and "+2s=Xx" in third and "+2x3=ver" in third
    assert "BOS" in feats[0] and "EOS" in feats[-1]
    assert all("len=10" in f for f in sequence_features(["w"] * 14))  # the length is capped
