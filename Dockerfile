# The image of compose.yaml: the pinned dependencies, then the app (docs/deploy.md).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN useradd --system --home /srv/oncoroute oncoroute && mkdir -p /var/lib/oncoroute \
    && chown oncoroute /var/lib/oncoroute
WORKDIR /srv/oncoroute
COPY requirements.lock pyproject.toml ./
RUN pip install --no-cache-dir -r requirements.lock
COPY src ./src
RUN pip install --no-cache-dir --no-deps . \
    && python -c "from oncoroute.config.catalogues import catalogues_compile; catalogues_compile()"
USER oncoroute
EXPOSE 8000
CMD ["oncoroute", "serve"]
