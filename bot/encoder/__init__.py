"""The one text encoder shared by the NLU featurizer and the recommender."""
