package dev.nabla.spark;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/** The backend a task trains on, from the trainer's setting and the resources Spark gave the task. */
final class ExecutorBackends {
    private ExecutorBackends() {}

    /**
     * "cpu": the CPU backend; "auto": the executor's best backend ({@link Backends#current()});
     * "cuda" or "opencl": that backend on the task's first GPU address when Spark assigned GPUs
     * ({@code spark.task.resource.gpu.amount}), else on the executor's default device.
     */
    static Backend of(String setting, TaskContext task) {
        if (setting.equals("auto")) {
            return Backends.current();
        }
        if (setting.equals("cpu")) {
            return Backends.get("cpu", 0);
        }
        return Backends.get(setting, device(task));
    }

    /** The task's first GPU address as a device index, else Nabla's default device. */
    static int device(TaskContext task) {
        if (task != null) {
            Map<String, ResourceInformation> resources = task.resourcesJMap();
            ResourceInformation gpu = resources == null ? null : resources.get("gpu");
            if (gpu != null && gpu.addresses().length > 0) {
                String address = gpu.addresses()[0];
                try {
                    return Integer.parseInt(address.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalStateException("Spark gave this task GPU address '" + address
                            + "'; expected a device index (0, 1, …) as the GPU discovery script reports it");
                }
            }
        }
        return Backends.defaultDevice();
    }
}
