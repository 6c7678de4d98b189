"""The app layer, on top of the pipeline: laying out an article, building, copyfit,
preview, editions and projects."""
