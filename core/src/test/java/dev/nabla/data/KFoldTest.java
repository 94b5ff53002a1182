package dev.nabla.data;

import static dev.nabla.data.DatasetTest.ids;
import static dev.nabla.data.DatasetTest.numbered;
import static dev.nabla.data.IdxTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KFoldTest {
    @Test
    void everySampleIsInExactlyOneTestFoldAndTrainsInTheOthers() {
        Dataset data = numbered(23);
        List<Fold> folds = new KFold(5, true, 11).split(data);
        assertEquals(5, folds.size());
        int[] timesTested = new int[23];
        for (Fold fold : folds) {
            Set<Integer> train = new HashSet<>();
            for (int id : ids(fold.train())) {
                train.add(id);
            }
            for (int id : ids(fold.test())) {
                timesTested[id]++;
                assertEquals(
                        false, train.contains(id), "sample " + id + " both trains and tests in fold " + fold.index());
            }
            assertEquals(23, train.size() + fold.test().size());
        }
        int[] once = new int[23];
        Arrays.fill(once, 1);
        assertArrayEquals(once, timesTested);
    }

    @Test
    void foldSizesDifferByAtMostOneLargerFirst() {
        List<Fold> folds = new KFold(5, false, 0).split(numbered(23));
        int[] sizes = folds.stream().mapToInt(f -> f.test().size()).toArray();
        assertArrayEquals(new int[] {5, 5, 5, 4, 4}, sizes);
        assertArrayEquals(
                new int[] {0, 1, 2, 3, 4}, folds.stream().mapToInt(Fold::index).toArray());
    }

    @Test
    void withoutShuffleFoldsAreConsecutiveRuns() {
        List<Fold> folds = new KFold(3, false, 0).split(numbered(6));
        assertArrayEquals(new int[] {2, 3}, ids(folds.get(1).test()));
        assertArrayEquals(new int[] {0, 1, 4, 5}, ids(folds.get(1).train()));
    }

    @Test
    void shuffledFoldsAreFixedByTheSeed() {
        Dataset data = numbered(20);
        assertArrayEquals(
                ids(new KFold(4, true, 5).split(data).get(2).test()),
                ids(new KFold(4, true, 5).split(data).get(2).test()));
    }

    @Test
    void kMustBeBetweenTwoAndTheSampleCount() {
        assertContains(assertThrows(IllegalArgumentException.class, () -> new KFold(1, true, 0)), "at least 2 folds");
        assertContains(
                assertThrows(IllegalArgumentException.class, () -> new KFold(4, true, 0).split(numbered(3))),
                "4 folds",
                "has 3");
        assertThrows(IllegalArgumentException.class, () -> KFold.crossValidate(numbered(3), 1, 0, f -> 1.0));
        assertThrows(IllegalArgumentException.class, () -> KFold.crossValidate(numbered(3), 4, 0, f -> 1.0));
    }

    @Test
    void crossValidateScoresEachFoldAndAveragesThem() {
        Dataset data = numbered(10);
        List<Integer> tested = new ArrayList<>();
        CrossValidationResult result = KFold.crossValidate(data, 4, 9, fold -> {
            for (int id : ids(fold.test())) {
                tested.add(id);
            }
            return (double) fold.test().size(); // 3, 3, 2, 2
        });
        assertEquals(List.of(3.0, 3.0, 2.0, 2.0), result.scores());
        assertEquals(2.5, result.mean(), 1e-12);
        assertEquals(0.5, result.standardDeviation(), 1e-12);
        tested.sort(null);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), tested);
    }

    @Test
    void aNullScoreIsNamed() {
        assertContains(
                assertThrows(
                        IllegalStateException.class,
                        () -> KFold.crossValidate(numbered(4), 2, 0, fold -> fold.index() == 1 ? null : 1.0)),
                "fold 1");
    }
}
